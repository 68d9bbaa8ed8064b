// k8s.io/api/networking/v1 generated.proto: Ingress (what `kubectl create ingress` sends as protobuf)
// and IngressClass. Field numbers as upstream, not in JSON order: IngressSpec's defaultBackend is 1
// and ingressClassName 4; HTTPIngressPath's backend is 2 and pathType 3.
import {int32, inline, list, msg, PTR, str, strList, type SchemaRegistry} from './schema.js'

const metadata = msg('metadata', 'meta.ObjectMeta')

export const NETWORKING_SCHEMAS: SchemaRegistry = {
  'networking.Ingress': {1: metadata, 2: msg('spec', 'networking.IngressSpec'), 3: msg('status', 'networking.IngressStatus')},
  'networking.IngressSpec': {
    4: str('ingressClassName', PTR),
    1: msg('defaultBackend', 'networking.IngressBackend'),
    2: list('tls', 'networking.IngressTLS'),
    3: list('rules', 'networking.IngressRule'),
  },
  'networking.IngressBackend': {4: msg('service', 'networking.IngressServiceBackend'), 3: msg('resource', 'core.TypedLocalObjectReference')},
  'networking.IngressServiceBackend': {1: str('name'), 2: msg('port', 'networking.ServiceBackendPort')},
  'networking.ServiceBackendPort': {1: str('name'), 2: int32('number')},
  'networking.IngressTLS': {1: strList('hosts'), 2: str('secretName')},
  // IngressRuleValue is embedded (`json:",inline"`): its `http` sits beside `host`.
  'networking.IngressRule': {1: str('host'), 2: inline('networking.IngressRuleValue')},
  'networking.IngressRuleValue': {1: msg('http', 'networking.HTTPIngressRuleValue')},
  'networking.HTTPIngressRuleValue': {1: list('paths', 'networking.HTTPIngressPath')},
  'networking.HTTPIngressPath': {1: str('path'), 3: str('pathType', PTR), 2: msg('backend', 'networking.IngressBackend')},
  'networking.IngressStatus': {1: msg('loadBalancer', 'networking.IngressLoadBalancerStatus')},
  'networking.IngressLoadBalancerStatus': {1: list('ingress', 'networking.IngressLoadBalancerIngress')},
  'networking.IngressLoadBalancerIngress': {1: str('ip'), 2: str('hostname'), 4: list('ports', 'networking.IngressPortStatus')},
  'networking.IngressPortStatus': {1: int32('port'), 2: str('protocol'), 3: str('error', PTR)},
  'networking.IngressClass': {1: metadata, 2: msg('spec', 'networking.IngressClassSpec')},
  'networking.IngressClassSpec': {1: str('controller'), 2: msg('parameters', 'networking.IngressClassParametersReference')},
  'networking.IngressClassParametersReference': {1: str('apiGroup', PTR), 2: str('kind'), 3: str('name'), 4: str('scope', PTR), 5: str('namespace', PTR)},
  'core.TypedLocalObjectReference': {1: str('apiGroup', PTR), 2: str('kind'), 3: str('name')},
}
