// The one table of resource kinds. Discovery, routing, storage keys, OpenAPI and Tables all read
// from here; a new kind is a row here plus a strategy (apiserver/strategies) and a table printer.

export type Scope = 'Namespaced' | 'Cluster'

export interface SubresourceType {
  name: string
  /** Kind served on the subresource when it differs from the parent (Scale). */
  responseKind?: {group: string; version: string; kind: string}
  verbs: string[]
}

export interface ResourceType {
  group: string
  version: string
  kind: string
  listKind: string
  plural: string
  singular: string
  scope: Scope
  shortNames: string[]
  categories: string[]
  verbs: string[]
  subresources: SubresourceType[]
  /** Kinds with a spec get metadata.generation, bumped on every spec change. */
  hasGeneration: boolean
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const STATUS: SubresourceType = {name: 'status', verbs: ['get', 'patch', 'update']}
const SCALE: SubresourceType = {
  name: 'scale',
  responseKind: {group: 'autoscaling', version: 'v1', kind: 'Scale'},
  verbs: ['get', 'patch', 'update'],
}

function row(r: Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'kind' | 'plural' | 'scope'>): ResourceType {
  return {
    listKind: `${r.kind}List`,
    singular: r.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    verbs: CRUD,
    subresources: [],
    hasGeneration: false,
    ...r,
  }
}

export const RESOURCES: readonly ResourceType[] = [
  row({group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', scope: 'Cluster', shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [STATUS, {name: 'finalize', verbs: ['update']}]}),
  row({group: '', version: 'v1', kind: 'Node', plural: 'nodes', scope: 'Cluster', shortNames: ['no'], subresources: [STATUS, {name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update']}]}),
  row({group: '', version: 'v1', kind: 'Pod', plural: 'pods', scope: 'Namespaced', shortNames: ['po'], categories: ['all'],
    subresources: [
      {name: 'attach', verbs: ['create', 'get']},
      {name: 'binding', verbs: ['create']},
      {name: 'ephemeralcontainers', verbs: ['get', 'patch', 'update']},
      {name: 'eviction', responseKind: {group: 'policy', version: 'v1', kind: 'Eviction'}, verbs: ['create']},
      {name: 'exec', verbs: ['create', 'get']},
      {name: 'log', verbs: ['get']},
      {name: 'portforward', verbs: ['create', 'get']},
      {name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update']},
      STATUS,
    ]}),
  row({group: '', version: 'v1', kind: 'Service', plural: 'services', scope: 'Namespaced', shortNames: ['svc'], categories: ['all'],
    subresources: [{name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update']}, STATUS]}),
  row({group: '', version: 'v1', kind: 'Endpoints', listKind: 'EndpointsList', plural: 'endpoints', singular: 'endpoints', scope: 'Namespaced', shortNames: ['ep']}),
  row({group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', scope: 'Namespaced', shortNames: ['cm']}),
  row({group: '', version: 'v1', kind: 'Secret', plural: 'secrets', scope: 'Namespaced'}),
  row({group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', scope: 'Namespaced', shortNames: ['sa'],
    subresources: [{name: 'token', responseKind: {group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest'}, verbs: ['create']}]}),
  row({group: '', version: 'v1', kind: 'Event', plural: 'events', scope: 'Namespaced', shortNames: ['ev']}),
  row({group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', scope: 'Namespaced'}),
  row({group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', scope: 'Namespaced', shortNames: ['deploy'], categories: ['all'],
    subresources: [SCALE, STATUS], hasGeneration: true}),
  row({group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', scope: 'Namespaced', shortNames: ['rs'], categories: ['all'],
    subresources: [SCALE, STATUS], hasGeneration: true}),
  row({group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', scope: 'Namespaced'}),
  row({group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', scope: 'Namespaced', shortNames: ['ing'],
    subresources: [STATUS], hasGeneration: true}),
  row({group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', scope: 'Cluster'}),
]

/** Group-versions that serve only virtual (non-stored) create-only resources. */
export interface VirtualResource {
  group: string
  version: string
  kind: string
  plural: string
  scope: Scope
  verbs: string[]
}

export const VIRTUAL_RESOURCES: readonly VirtualResource[] = [
  {group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', scope: 'Cluster', verbs: ['create']},
  {group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', scope: 'Cluster', verbs: ['create']},
  {group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', scope: 'Cluster', verbs: ['create']},
]

export function apiVersionOf(r: {group: string; version: string}): string {
  return r.group ? `${r.group}/${r.version}` : r.version
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural)
}

/** The resource of a built-in kind named by code (a missing one is a programming error). */
export function resourceOfKind(kind: string): ResourceType {
  const r = RESOURCES.find((x) => x.kind === kind)
  if (!r) throw new Error(`no resource for kind ${kind}`)
  return r
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind)
}

/** Storage key prefix for a resource, optionally within one namespace: `/registry/apps/deployments/default/`. */
export function keyPrefix(r: ResourceType, namespace?: string): string {
  const base = `/registry/${r.group || 'core'}/${r.plural}/`
  return r.scope === 'Namespaced' && namespace ? `${base}${namespace}/` : base
}

export function objectKey(r: ResourceType, namespace: string | undefined, name: string): string {
  return r.scope === 'Namespaced' ? `${keyPrefix(r, namespace)}${name}` : `${keyPrefix(r)}${name}`
}
