// k8s.io/api/core/v1/generated.proto: the top-level core kinds kubectl's typed commands create
// (Namespace, ConfigMap, Secret, Service, ServiceAccount). Pointer fields per core/v1/types.go.
import {bool, int32, KEEP, list, map, msg, PTR, str, strList, type SchemaRegistry} from './schema.js'

const metadata = msg('metadata', 'meta.ObjectMeta')

export const CORE_OBJECT_SCHEMAS: SchemaRegistry = {
  'core.Namespace': {1: metadata, 2: msg('spec', 'core.NamespaceSpec'), 3: msg('status', 'core.NamespaceStatus')},
  'core.NamespaceSpec': {1: strList('finalizers')},
  'core.NamespaceStatus': {1: str('phase'), 2: list('conditions', 'core.NamespaceCondition')},
  'core.NamespaceCondition': {
    1: str('type', KEEP),
    2: str('status', KEEP),
    4: msg('lastTransitionTime', 'Time'),
    5: str('reason'),
    6: str('message'),
  },
  'core.ConfigMap': {1: metadata, 4: bool('immutable', PTR), 2: map('data', 'string'), 3: map('binaryData', 'bytes')},
  'core.Secret': {1: metadata, 5: bool('immutable', PTR), 2: map('data', 'bytes'), 4: map('stringData', 'string'), 3: str('type')},
  'core.Service': {1: metadata, 2: msg('spec', 'core.ServiceSpec'), 3: msg('status', 'core.ServiceStatus')},
  'core.ServiceSpec': {
    1: list('ports', 'core.ServicePort'),
    2: map('selector', 'string'),
    3: str('clusterIP'),
    18: strList('clusterIPs'),
    4: str('type'),
    5: strList('externalIPs'),
    7: str('sessionAffinity'),
    8: str('loadBalancerIP'),
    9: strList('loadBalancerSourceRanges'),
    10: str('externalName'),
    11: str('externalTrafficPolicy'),
    12: int32('healthCheckNodePort'),
    13: bool('publishNotReadyAddresses'),
    14: msg('sessionAffinityConfig', 'core.SessionAffinityConfig'),
    19: strList('ipFamilies'),
    17: str('ipFamilyPolicy', PTR),
    20: bool('allocateLoadBalancerNodePorts', PTR),
    21: str('loadBalancerClass', PTR),
    22: str('internalTrafficPolicy', PTR),
    23: str('trafficDistribution', PTR),
  },
  'core.ServicePort': {
    1: str('name'),
    2: str('protocol'),
    6: str('appProtocol', PTR),
    3: int32('port', KEEP),
    // A non-pointer IntOrString: Go would print 0 when unset, but 0 means "use port", so it is dropped.
    4: msg('targetPort', 'IntOrString'),
    5: int32('nodePort'),
  },
  'core.SessionAffinityConfig': {1: msg('clientIP', 'core.ClientIPConfig')},
  'core.ClientIPConfig': {1: int32('timeoutSeconds', PTR)},
  'core.ServiceStatus': {1: msg('loadBalancer', 'core.LoadBalancerStatus'), 2: list('conditions', 'meta.Condition')},
  'core.LoadBalancerStatus': {1: list('ingress', 'core.LoadBalancerIngress')},
  'core.LoadBalancerIngress': {1: str('ip'), 2: str('hostname'), 3: str('ipMode', PTR), 4: list('ports', 'core.PortStatus')},
  'core.PortStatus': {1: int32('port', KEEP), 2: str('protocol', KEEP), 3: str('error', PTR)},
  'core.ServiceAccount': {
    1: metadata,
    2: list('secrets', 'core.ObjectReference'),
    3: list('imagePullSecrets', 'core.LocalObjectReference'),
    4: bool('automountServiceAccountToken', PTR),
  },
  'core.ObjectReference': {
    1: str('kind'),
    2: str('namespace'),
    3: str('name'),
    4: str('uid'),
    5: str('apiVersion'),
    6: str('resourceVersion'),
    7: str('fieldPath'),
  },
}
