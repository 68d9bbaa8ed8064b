// Patch metadata for the built-in kinds: the struct tags of k8s.io/api v0.32 (patchStrategy, patchMergeKey,
// +listType, +listMapKey, +structType/+mapType) as data, so strategic merge patch and server-side apply agree.
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
}

export interface GroupKind {
  group: string
  kind: string
}

export const UNKNOWN: SchemaNode = Object.freeze({kind: 'unknown'})
const SCALAR: SchemaNode = Object.freeze({kind: 'scalar'})

const struct = (typeName: string, extra: Partial<SchemaNode> = {}): SchemaNode => ({kind: 'struct', typeName, ...extra})
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
const META = struct('ObjectMeta')

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

  // ---- core/v1 Pod ----
  Pod: {metadata: META, spec: struct('PodSpec'), status: struct('PodStatus')},
  PodTemplateSpec: {metadata: META, spec: struct('PodSpec')},
  PodSpec: {
    volumes: keyedList('Volume', 'name', {retainKeys: true}),
    initContainers: keyedList('Container', 'name'),
    containers: keyedList('Container', 'name'),
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
  Deployment: {metadata: META, spec: struct('DeploymentSpec'), status: struct('DeploymentStatus')},
  DeploymentSpec: {
    selector: struct('LabelSelector', {atomic: true}),
    template: struct('PodTemplateSpec'),
    strategy: struct('DeploymentStrategy', {retainKeys: true}),
  },
  DeploymentStrategy: {rollingUpdate: struct('RollingUpdateDeployment')},
  DeploymentStatus: {conditions: conditions('DeploymentCondition')},
  ReplicaSet: {metadata: META, spec: struct('ReplicaSetSpec'), status: struct('ReplicaSetStatus')},
  ReplicaSetSpec: {selector: struct('LabelSelector', {atomic: true}), template: struct('PodTemplateSpec')},
  ReplicaSetStatus: {conditions: conditions('ReplicaSetCondition')},

  // ---- core/v1 others ----
  Service: {metadata: META, spec: struct('ServiceSpec'), status: struct('ServiceStatus')},
  ServiceSpec: {
    ports: keyedList('ServicePort', 'port', {listMapKeys: ['port', 'protocol']}),
    selector: map({atomic: true}),
    clusterIPs: atomicList(SCALAR),
    externalIPs: atomicList(SCALAR),
    loadBalancerSourceRanges: atomicList(SCALAR),
    ipFamilies: atomicList(SCALAR),
  },
  ServiceStatus: {conditions: conditions('Condition'), loadBalancer: struct('LoadBalancerStatus')},
  LoadBalancerStatus: {ingress: atomicList(struct('LoadBalancerIngress'))},
  Endpoints: {metadata: META, subsets: atomicList(struct('EndpointSubset'))},
  EndpointSubset: {
    addresses: atomicList(struct('EndpointAddress')),
    notReadyAddresses: atomicList(struct('EndpointAddress')),
    ports: atomicList(struct('EndpointPort')),
  },
  EndpointAddress: {targetRef: struct('ObjectReference', {atomic: true})},
  Node: {metadata: META, spec: struct('NodeSpec'), status: struct('NodeStatus')},
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
  },
  Namespace: {metadata: META, spec: struct('NamespaceSpec'), status: struct('NamespaceStatus')},
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
    involvedObject: struct('ObjectReference', {atomic: true}),
    related: struct('ObjectReference', {atomic: true}),
  },
  Lease: {metadata: META, spec: struct('LeaseSpec')},
  LeaseSpec: {},
  Scale: {metadata: META, spec: struct('ScaleSpec'), status: struct('ScaleStatus')},
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
  'coordination.k8s.io/Lease': 'Lease',
  'autoscaling/Scale': 'Scale',
}

/** The root node of a built-in kind, or undefined for kinds without compiled-in metadata (CRDs). */
export function schemaFor(type: GroupKind): SchemaNode | undefined {
  const typeName = KINDS[`${type.group}/${type.kind}`]
  return typeName ? struct(typeName) : undefined
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
