// Patch metadata for the built-in kinds: the struct tags of k8s.io/api v0.32 (patchStrategy, patchMergeKey,
// +listType, +listMapKey, +structType/+mapType, omitempty) as data, the one table both strategic merge patch
// (strategic-merge-patch.ts) and server-side apply (list-keys.ts) read. A new kind is one entry here.
//
// A SchemaNode describes one value position in an object:
//   kind           'struct'  named fields, looked up with childSchema(); fields not listed here are 'unknown'
//                  'map'     string keys (labels, ConfigMap data); every value is `values`
//                  'list'    every element is `items`
//                  'scalar'  a leaf
//                  'unknown' no metadata: objects merge key by key, lists are atomic (what k8s does for untagged fields)
//   typeName       struct type ('PodSpec'), for messages and lookups
//   values         (map) the node of every value
//   items          (list) the node of every element
//   patchStrategy  SMP: 'merge' on a list merges by patchMergeKey (objects) or unions (scalars);
//                  'replace' on a struct replaces it wholesale; absent = struct merge / list atomic
//   patchMergeKey  SMP merge key of a 'merge' list of objects ('name', 'containerPort', 'port', 'type', ...)
//   retainKeys     SMP: the field is tagged retainKeys (DeploymentSpec.strategy, PodSpec.volumes)
//   listType       SSA: 'atomic' | 'set' | 'map' (lists only; untagged lists are atomic)
//   listMapKeys    SSA: the keys of a listType=map list (Container.ports: containerPort + protocol)
//   atomic         SSA: +structType=atomic / +mapType=atomic (the value is owned as a whole)
//   default        SSA: the OpenAPI default of a scalar, used for list-map keys a client omits (protocol TCP)
//   typedZero      SSA: how a typed empty object serializes the field: 'object' for a non-pointer struct
//                  (omitempty never drops a struct), 'null' for a nil list or pointer without omitempty;
//                  absent when the field is omitted. The fields marked so make an object's skeleton.
// Nodes refer to struct types by name, so the tree is resolved lazily and may be recursive.

export type SchemaKind = 'struct' | 'map' | 'list' | 'scalar' | 'unknown'

export interface SchemaNode {
  readonly kind: SchemaKind
  readonly typeName?: string
  readonly values?: SchemaNode
  readonly items?: SchemaNode
  readonly patchStrategy?: 'merge' | 'replace'
  readonly patchMergeKey?: string
  readonly retainKeys?: boolean
  readonly listType?: 'atomic' | 'set' | 'map'
  readonly listMapKeys?: readonly string[]
  readonly atomic?: boolean
  readonly default?: string
  readonly typedZero?: 'object' | 'null'
}

export interface GroupKind {
  group: string
  kind: string
}

export const UNKNOWN: SchemaNode = Object.freeze({kind: 'unknown'})
const SCALAR: SchemaNode = Object.freeze({kind: 'scalar'})

const struct = (typeName: string, extra: Partial<SchemaNode> = {}): SchemaNode => ({kind: 'struct', typeName, ...extra})
/** A non-pointer struct field: a typed empty object still serializes it as {}. */
const nonPointer = (typeName: string, extra: Partial<SchemaNode> = {}): SchemaNode => struct(typeName, {typedZero: 'object', ...extra})
const map = (extra: Partial<SchemaNode> = {}): SchemaNode => ({kind: 'map', values: SCALAR, ...extra})
const atomicList = (items: SchemaNode = UNKNOWN): SchemaNode => ({kind: 'list', items, listType: 'atomic'})
/** A strategic-merge list of objects keyed by `key`; SSA list-map keys default to the same key. */
const keyedList = (typeName: string, key: string, ssa: Partial<SchemaNode> = {}): SchemaNode => ({
  kind: 'list', items: struct(typeName), patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: [key], ...ssa,
})
/** Merged by key for SMP but atomic for SSA (hostIPs, NodeStatus.addresses: several items may share the key). */
const mergedAtomicList = (typeName: string, key: string): SchemaNode => ({
  kind: 'list', items: struct(typeName), patchStrategy: 'merge', patchMergeKey: key, listType: 'atomic',
})
/** `conditions` lists: merge by type everywhere in scope. */
const conditions = (typeName: string): SchemaNode => keyedList(typeName, 'type')
const META = nonPointer('ObjectMeta')
/** `spec.template` of the pod-template workloads. */
const POD_TEMPLATE = nonPointer('PodTemplateSpec')
/** A workload's `spec.selector`: *LabelSelector without omitempty, owned as a whole. */
const WORKLOAD_SELECTOR = struct('LabelSelector', {atomic: true, typedZero: 'null'})
/** A port's protocol, which keys Container.ports and ServiceSpec.ports for SSA even when omitted. */
const PROTOCOL: SchemaNode = Object.freeze({kind: 'scalar', default: 'TCP'})

/** Struct types by name: only fields that carry metadata (or lead to fields that do) are listed. */
const TYPES: Readonly<Record<string, Readonly<Record<string, SchemaNode>>>> = {
  // ---- metadata ----
  ObjectMeta: {
    labels: map(),
    annotations: map(),
    finalizers: {kind: 'list', items: SCALAR, patchStrategy: 'merge', listType: 'set'},
    ownerReferences: keyedList('OwnerReference', 'uid'),
    managedFields: atomicList(struct('ManagedFieldsEntry')),
  },
  OwnerReference: {},
  ManagedFieldsEntry: {fieldsV1: UNKNOWN},
  LabelSelector: {matchLabels: map(), matchExpressions: atomicList(struct('LabelSelectorRequirement'))},
  LabelSelectorRequirement: {values: atomicList(SCALAR)},
  ObjectReference: {},
  LocalObjectReference: {},

  // Kinds without compiled-in metadata still have ObjectMeta (genericObjectSchema).
  AnyObject: {metadata: META},

  // ---- core/v1 Pod ----
  Pod: {metadata: META, spec: nonPointer('PodSpec'), status: nonPointer('PodStatus')},
  PodTemplateSpec: {metadata: META, spec: nonPointer('PodSpec')},
  PodSpec: {
    volumes: keyedList('Volume', 'name', {retainKeys: true}),
    initContainers: keyedList('Container', 'name'),
    containers: keyedList('Container', 'name', {typedZero: 'null'}),
    ephemeralContainers: keyedList('Container', 'name'),
    imagePullSecrets: keyedList('LocalObjectReference', 'name'),
    hostAliases: keyedList('HostAlias', 'ip'),
    topologySpreadConstraints: keyedList('TopologySpreadConstraint', 'topologyKey', {listMapKeys: ['topologyKey', 'whenUnsatisfiable']}),
    schedulingGates: keyedList('PodSchedulingGate', 'name'),
    resourceClaims: keyedList('PodResourceClaim', 'name', {retainKeys: true}),
    tolerations: atomicList(struct('Toleration')),
    readinessGates: atomicList(struct('PodReadinessGate')),
    nodeSelector: map({atomic: true}),
    overhead: map(),
    affinity: struct('Affinity'),
    securityContext: struct('PodSecurityContext'),
    dnsConfig: struct('PodDNSConfig'),
  },
  Container: {
    ports: keyedList('ContainerPort', 'containerPort', {listMapKeys: ['containerPort', 'protocol']}),
    env: keyedList('EnvVar', 'name'),
    volumeMounts: keyedList('VolumeMount', 'mountPath'),
    volumeDevices: keyedList('VolumeDevice', 'devicePath'),
    envFrom: atomicList(struct('EnvFromSource')),
    command: atomicList(SCALAR),
    args: atomicList(SCALAR),
    resizePolicy: atomicList(struct('ContainerResizePolicy')),
    resources: struct('ResourceRequirements'),
  },
  EnvVar: {valueFrom: struct('EnvVarSource')},
  EnvVarSource: {
    configMapKeyRef: struct('ConfigMapKeySelector', {atomic: true}),
    secretKeyRef: struct('SecretKeySelector', {atomic: true}),
    fieldRef: struct('ObjectFieldSelector', {atomic: true}),
    resourceFieldRef: struct('ResourceFieldSelector', {atomic: true}),
  },
  ContainerPort: {protocol: PROTOCOL},
  ResourceRequirements: {
    limits: map(),
    requests: map(),
    // listType=map without a patch strategy: atomic for SMP, keyed for SSA.
    claims: {kind: 'list', items: struct('ResourceClaim'), listType: 'map', listMapKeys: ['name']},
  },
  Volume: {},
  Affinity: {nodeAffinity: struct('NodeAffinity')},
  NodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: struct('NodeSelector', {atomic: true})},
  PodSecurityContext: {supplementalGroups: atomicList(SCALAR), sysctls: atomicList(struct('Sysctl'))},
  PodDNSConfig: {nameservers: atomicList(SCALAR), searches: atomicList(SCALAR), options: atomicList(struct('PodDNSConfigOption'))},
  TopologySpreadConstraint: {labelSelector: struct('LabelSelector', {atomic: true}), matchLabelKeys: atomicList(SCALAR)},
  PodStatus: {
    conditions: conditions('PodCondition'),
    podIPs: keyedList('PodIP', 'ip'),
    hostIPs: mergedAtomicList('HostIP', 'ip'),
    initContainerStatuses: atomicList(struct('ContainerStatus')),
    containerStatuses: atomicList(struct('ContainerStatus')),
    ephemeralContainerStatuses: atomicList(struct('ContainerStatus')),
    resourceClaimStatuses: keyedList('PodResourceClaimStatus', 'name'),
  },

  // ---- apps/v1 ----
  Deployment: {metadata: META, spec: nonPointer('DeploymentSpec'), status: nonPointer('DeploymentStatus')},
  DeploymentSpec: {
    selector: WORKLOAD_SELECTOR,
    template: POD_TEMPLATE,
    strategy: nonPointer('DeploymentStrategy', {retainKeys: true}),
  },
  DeploymentStrategy: {rollingUpdate: struct('RollingUpdateDeployment')},
  DeploymentStatus: {conditions: conditions('DeploymentCondition')},
  ReplicaSet: {metadata: META, spec: nonPointer('ReplicaSetSpec'), status: nonPointer('ReplicaSetStatus')},
  ReplicaSetSpec: {selector: WORKLOAD_SELECTOR, template: POD_TEMPLATE},
  ReplicaSetStatus: {conditions: conditions('ReplicaSetCondition')},
  StatefulSet: {metadata: META, spec: nonPointer('StatefulSetSpec'), status: nonPointer('StatefulSetStatus')},
  StatefulSetSpec: {
    selector: WORKLOAD_SELECTOR,
    template: POD_TEMPLATE,
    updateStrategy: nonPointer('StatefulSetUpdateStrategy'),
    volumeClaimTemplates: atomicList(),
  },
  StatefulSetStatus: {conditions: conditions('StatefulSetCondition')},
  DaemonSet: {metadata: META, spec: nonPointer('DaemonSetSpec'), status: nonPointer('DaemonSetStatus')},
  DaemonSetSpec: {selector: WORKLOAD_SELECTOR, template: POD_TEMPLATE, updateStrategy: nonPointer('DaemonSetUpdateStrategy')},
  DaemonSetStatus: {conditions: conditions('DaemonSetCondition')},

  // ---- batch/v1 ----
  Job: {metadata: META, spec: nonPointer('JobSpec'), status: nonPointer('JobStatus')},
  // selector is *LabelSelector with omitempty here, unlike the apps workloads.
  JobSpec: {selector: struct('LabelSelector', {atomic: true}), template: POD_TEMPLATE},
  // +listType=atomic though merged by type for SMP.
  JobStatus: {conditions: mergedAtomicList('JobCondition', 'type')},
  CronJob: {metadata: META, spec: nonPointer('CronJobSpec'), status: nonPointer('CronJobStatus')},
  CronJobSpec: {jobTemplate: nonPointer('JobTemplateSpec')},
  JobTemplateSpec: {metadata: META, spec: nonPointer('JobSpec')},
  CronJobStatus: {active: atomicList(struct('ObjectReference'))},

  // ---- core/v1 others ----
  Service: {metadata: META, spec: nonPointer('ServiceSpec'), status: nonPointer('ServiceStatus')},
  ServiceSpec: {
    ports: keyedList('ServicePort', 'port', {listMapKeys: ['port', 'protocol']}),
    selector: map({atomic: true}),
    clusterIPs: atomicList(SCALAR),
    externalIPs: atomicList(SCALAR),
    loadBalancerSourceRanges: atomicList(SCALAR),
    ipFamilies: atomicList(SCALAR),
  },
  ServicePort: {protocol: PROTOCOL},
  ServiceStatus: {conditions: conditions('Condition'), loadBalancer: nonPointer('LoadBalancerStatus')},
  LoadBalancerStatus: {ingress: atomicList(struct('LoadBalancerIngress'))},
  Endpoints: {metadata: META, subsets: atomicList(struct('EndpointSubset'))},
  EndpointSubset: {
    addresses: atomicList(struct('EndpointAddress')),
    notReadyAddresses: atomicList(struct('EndpointAddress')),
    ports: atomicList(struct('EndpointPort')),
  },
  EndpointAddress: {targetRef: struct('ObjectReference', {atomic: true})},
  Node: {metadata: META, spec: nonPointer('NodeSpec'), status: nonPointer('NodeStatus')},
  NodeSpec: {
    podCIDRs: {kind: 'list', items: SCALAR, patchStrategy: 'merge', listType: 'set'},
    taints: atomicList(struct('Taint')),
  },
  NodeStatus: {
    conditions: conditions('NodeCondition'),
    addresses: mergedAtomicList('NodeAddress', 'type'),
    capacity: map(),
    allocatable: map(),
    images: atomicList(struct('ContainerImage')),
    volumesInUse: atomicList(SCALAR),
    volumesAttached: atomicList(struct('AttachedVolume')),
    daemonEndpoints: nonPointer('NodeDaemonEndpoints'),
    nodeInfo: nonPointer('NodeSystemInfo'),
  },
  NodeDaemonEndpoints: {kubeletEndpoint: nonPointer('DaemonEndpoint')},
  Namespace: {metadata: META, spec: nonPointer('NamespaceSpec'), status: nonPointer('NamespaceStatus')},
  NamespaceSpec: {finalizers: atomicList(SCALAR)},
  NamespaceStatus: {conditions: conditions('NamespaceCondition')},
  ConfigMap: {metadata: META, data: map(), binaryData: map()},
  Secret: {metadata: META, data: map(), stringData: map()},
  ServiceAccount: {
    metadata: META,
    secrets: keyedList('ObjectReference', 'name'),
    imagePullSecrets: atomicList(struct('LocalObjectReference')),
  },
  Event: {
    metadata: META,
    involvedObject: nonPointer('ObjectReference'),
    related: struct('ObjectReference'),
    source: nonPointer('EventSource'),
  },
  Lease: {metadata: META, spec: nonPointer('LeaseSpec')},
  LeaseSpec: {},
  Scale: {metadata: META, spec: nonPointer('ScaleSpec'), status: nonPointer('ScaleStatus')},
  EndpointSlice: {
    metadata: META,
    endpoints: {...atomicList(struct('Endpoint')), typedZero: 'null'},
    ports: {...atomicList(struct('EndpointPort')), typedZero: 'null'},
  },

  // ---- networking.k8s.io/v1 (every list +listType=atomic) ----
  Ingress: {metadata: META, spec: nonPointer('IngressSpec'), status: nonPointer('IngressStatus')},
  IngressSpec: {tls: atomicList(struct('IngressTLS')), rules: atomicList(struct('IngressRule'))},
  IngressTLS: {hosts: atomicList(SCALAR)},
  IngressRule: {http: struct('HTTPIngressRuleValue')},
  HTTPIngressRuleValue: {paths: atomicList(struct('HTTPIngressPath'))},
  IngressStatus: {loadBalancer: nonPointer('IngressLoadBalancerStatus')},
  IngressLoadBalancerStatus: {ingress: atomicList(struct('IngressLoadBalancerIngress'))},
  IngressLoadBalancerIngress: {ports: atomicList(struct('IngressPortStatus'))},
  IngressClass: {metadata: META, spec: nonPointer('IngressClassSpec')},
  IngressClassSpec: {},
}

/** Struct types whose whole value is owned as one (SSA +structType=atomic), wherever they appear. */
const ATOMIC_STRUCTS: ReadonlySet<string> = new Set(['OwnerReference', 'ObjectReference', 'LocalObjectReference'])

/** Root struct type per built-in kind, keyed `group/Kind` (core group is ''). */
const KINDS: Readonly<Record<string, string>> = {
  '/Pod': 'Pod',
  '/Service': 'Service',
  '/Endpoints': 'Endpoints',
  '/Node': 'Node',
  '/Namespace': 'Namespace',
  '/ConfigMap': 'ConfigMap',
  '/Secret': 'Secret',
  '/ServiceAccount': 'ServiceAccount',
  '/Event': 'Event',
  'apps/Deployment': 'Deployment',
  'apps/ReplicaSet': 'ReplicaSet',
  'apps/StatefulSet': 'StatefulSet',
  'apps/DaemonSet': 'DaemonSet',
  'batch/Job': 'Job',
  'batch/CronJob': 'CronJob',
  'coordination.k8s.io/Lease': 'Lease',
  'autoscaling/Scale': 'Scale',
  'discovery.k8s.io/EndpointSlice': 'EndpointSlice',
  'networking.k8s.io/Ingress': 'Ingress',
  'networking.k8s.io/IngressClass': 'IngressClass',
}

/** The root node of a built-in kind, or undefined for kinds without compiled-in metadata (CRDs). */
export function schemaFor(type: GroupKind): SchemaNode | undefined {
  const typeName = KINDS[`${type.group}/${type.kind}`]
  return typeName ? struct(typeName) : undefined
}

// Server-side apply names kinds without their group; built-in kind names are unique, so the name suffices.
const KINDS_BY_NAME: ReadonlyMap<string, string> = new Map(Object.entries(KINDS).map(([key, typeName]) => [key.split('/')[1]!, typeName]))

/** The root node of a built-in kind named without its group, or undefined. */
export function schemaForKindName(kind: string): SchemaNode | undefined {
  const typeName = KINDS_BY_NAME.get(kind)
  return typeName ? struct(typeName) : undefined
}

/** The root node for kinds without compiled-in metadata: only ObjectMeta is known. */
export function genericObjectSchema(): SchemaNode {
  return struct('AnyObject')
}

/** The node of `field` inside a struct (or of any value inside a map); UNKNOWN when nothing is recorded. */
export function childSchema(node: SchemaNode, field: string): SchemaNode {
  if (node.kind === 'map') return node.values ?? UNKNOWN
  if (node.kind !== 'struct' || !node.typeName) return UNKNOWN
  const fields = TYPES[node.typeName]
  if (!fields || !Object.hasOwn(fields, field)) return UNKNOWN
  const child = fields[field]!
  return child.kind === 'struct' && child.typeName && ATOMIC_STRUCTS.has(child.typeName) ? {...child, atomic: true} : child
}

/** The node of every element of a list; UNKNOWN for anything else. */
export function itemSchema(node: SchemaNode): SchemaNode {
  if (node.kind !== 'list' || !node.items) return UNKNOWN
  const items = node.items
  return items.kind === 'struct' && items.typeName && ATOMIC_STRUCTS.has(items.typeName) ? {...items, atomic: true} : items
}

/** The fields recorded for a struct node (others are UNKNOWN); lets tools walk the table. */
export function fieldNames(node: SchemaNode): string[] {
  return node.kind === 'struct' && node.typeName ? Object.keys(TYPES[node.typeName] ?? {}) : []
}
