// The route table of the built-in Ingress controller, computed from the full current state (every
// Ingress and IngressClass) so it can be rebuilt from scratch on any change. Matching lives in
// route-match.ts; this file decides which routes exist and which Ingress wins a conflict.
//
// Conflicts: two Ingresses claiming the same host, path and path type (Prefix `/foo` and `/foo/` are the
// same path), or both setting spec.defaultBackend. The Ingress created first wins (creationTimestamp),
// then the smaller namespace/name; the loser is listed in `conflicts` so the caller can report it.
// Within one Ingress the first listed path wins, silently.
import type {HTTPIngressPath, Ingress, IngressBackend, IngressClass} from 'kubernetes-types/networking/v1.js'
import {claimsIngress, type IngressClassSelection} from './ingress-class.js'

/** A Service port an Ingress routes to; the caller resolves it to endpoints. */
export interface IngressBackendRef {
  namespace: string
  service: string
  port: number | string
}

export interface IngressRef {
  namespace: string
  name: string
}

/** ImplementationSpecific is served as Prefix. */
export type RoutePathType = 'Exact' | 'Prefix'

export interface PathRoute {
  /** The rule's host as written (`foo.com`, `*.foo.com`), or undefined for a rule without host. */
  host?: string
  /** The path as written (`/` when absent). */
  path: string
  pathType: RoutePathType
  /** What requests are compared with: the path, without trailing slashes for Prefix (`` for `/`). */
  match: string
  backend: IngressBackendRef
  source: IngressRef
}

export interface DefaultRoute {
  backend: IngressBackendRef
  source: IngressRef
}

/** A TLS section of a served Ingress; the caller reads the Secret and passes cert/key to the server. */
export interface TlsRef {
  namespace: string
  secretName: string
  hosts: string[]
  source: IngressRef
}

export interface RouteConflict {
  /** Host as written, undefined for host-less rules; `path` is undefined for a conflicting defaultBackend. */
  host?: string
  path?: string
  pathType?: RoutePathType
  winner: IngressRef
  loser: IngressRef
}

/** A path or defaultBackend that cannot be served (a `resource` backend, or a Service port with neither name nor number). */
export interface UnsupportedBackend {
  source: IngressRef
  host?: string
  path?: string
  reason: string
}

export interface RouteTable {
  /** Routes of rules with an exact host, by lower-case host, in match order. */
  exact: ReadonlyMap<string, readonly PathRoute[]>
  /** Routes of `*.suffix` rules, by lower-case suffix (`foo.com` for `*.foo.com`), in match order. */
  wildcard: ReadonlyMap<string, readonly PathRoute[]>
  /** Routes of rules without host, in match order. */
  catchAll: readonly PathRoute[]
  defaultBackend?: DefaultRoute
  /** TLS sections in precedence order (oldest Ingress first). */
  tls: readonly TlsRef[]
  /** Every Ingress served, in precedence order: the ones whose status gets the address. */
  ingresses: readonly IngressRef[]
  conflicts: readonly RouteConflict[]
  unsupported: readonly UnsupportedBackend[]
}

export interface RouteTableInput extends IngressClassSelection {
  ingresses: readonly Ingress[]
  ingressClasses: readonly IngressClass[]
}

export const EMPTY_ROUTE_TABLE: RouteTable = {
  exact: new Map(),
  wildcard: new Map(),
  catchAll: [],
  tls: [],
  ingresses: [],
  conflicts: [],
  unsupported: [],
}

/** Build the route table of the selected class from every Ingress and IngressClass. */
export function buildRouteTable(input: RouteTableInput): RouteTable {
  const served = input.ingresses.filter((i) => claimsIngress(i, input.ingressClasses, input)).sort(byPrecedence)
  const groups = new Map<string, PathRoute[]>() // by tier key: `=host`, `*suffix` or `-`
  const owners = new Map<string, PathRoute>() // by tier key + path type + match
  const table = {
    tls: [] as TlsRef[],
    ingresses: [] as IngressRef[],
    conflicts: [] as RouteConflict[],
    unsupported: [] as UnsupportedBackend[],
    defaultBackend: undefined as DefaultRoute | undefined,
  }

  for (const ingress of served) {
    const source = refOf(ingress)
    table.ingresses.push(source)
    const spec = ingress.spec ?? {}
    if (spec.defaultBackend) {
      const backend = backendRef(spec.defaultBackend, source.namespace)
      if (typeof backend === 'string') table.unsupported.push({source, reason: backend})
      else if (!table.defaultBackend) table.defaultBackend = {backend, source}
      else table.conflicts.push({winner: table.defaultBackend.source, loser: source})
    }
    for (const tls of spec.tls ?? []) {
      if (tls.secretName) {
        table.tls.push({namespace: source.namespace, secretName: tls.secretName, hosts: (tls.hosts ?? []).map(lower), source})
      }
    }
    for (const rule of spec.rules ?? []) {
      const host = rule.host ? lower(rule.host) : undefined
      const tier = tierKey(host)
      for (const p of rule.http?.paths ?? []) {
        const route = pathRoute(p, host, source)
        if (typeof route === 'string') {
          table.unsupported.push({source, host, path: p.path ?? '/', reason: route})
          continue
        }
        const key = `${tier}\n${route.pathType}\n${route.match}`
        const owner = owners.get(key)
        if (owner) {
          if (!sameRef(owner.source, source)) {
            table.conflicts.push({host, path: route.path, pathType: route.pathType, winner: owner.source, loser: source})
          }
          continue
        }
        owners.set(key, route)
        const group = groups.get(tier) ?? []
        group.push(route)
        groups.set(tier, group)
      }
    }
  }

  const exact = new Map<string, PathRoute[]>()
  const wildcard = new Map<string, PathRoute[]>()
  let catchAll: PathRoute[] = []
  for (const [tier, routes] of groups) {
    routes.sort(byMatchOrder)
    if (tier === '-') catchAll = routes
    else if (tier.startsWith('*')) wildcard.set(tier.slice(1), routes)
    else exact.set(tier.slice(1), routes)
  }
  return {exact, wildcard, catchAll, ...table}
}

function tierKey(host: string | undefined): string {
  if (host === undefined) return '-'
  return host.startsWith('*.') ? `*${host.slice(2)}` : `=${host}`
}

function pathRoute(p: HTTPIngressPath, host: string | undefined, source: IngressRef): PathRoute | string {
  const backend = backendRef(p.backend, source.namespace)
  if (typeof backend === 'string') return backend
  const path = p.path || '/'
  const pathType: RoutePathType = p.pathType === 'Exact' ? 'Exact' : 'Prefix'
  const match = pathType === 'Exact' ? path : path.replace(/\/+$/, '')
  return {...(host === undefined ? {} : {host}), path, pathType, match, backend, source}
}

function backendRef(backend: IngressBackend, namespace: string): IngressBackendRef | string {
  if (!backend.service) return backend.resource ? 'resource backends are not supported' : 'backend names no service'
  const port = backend.service.port?.number ?? backend.service.port?.name
  if (port === undefined || port === '') return `service ${backend.service.name} names no port`
  return {namespace, service: backend.service.name, port}
}

// The Ingress spec's precedence: the longest matching path first; at equal length Exact before Prefix.
// Array.prototype.sort is stable, so equal routes keep the Ingress precedence order.
function byMatchOrder(a: PathRoute, b: PathRoute): number {
  if (a.match.length !== b.match.length) return b.match.length - a.match.length
  if (a.pathType !== b.pathType) return a.pathType === 'Exact' ? -1 : 1
  return 0
}

// Oldest first; an Ingress without creationTimestamp (not yet stored) counts as newest.
function byPrecedence(a: Ingress, b: Ingress): number {
  const ta = timeOf(a)
  const tb = timeOf(b)
  if (ta !== tb) return ta - tb
  const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`
  const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

function timeOf(ingress: Ingress): number {
  const t = Date.parse(ingress.metadata?.creationTimestamp ?? '')
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t
}

function refOf(ingress: Ingress): IngressRef {
  return {namespace: ingress.metadata?.namespace ?? 'default', name: ingress.metadata?.name ?? ''}
}

function sameRef(a: IngressRef, b: IngressRef): boolean {
  return a.namespace === b.namespace && a.name === b.name
}

function lower(host: string): string {
  return host.toLowerCase()
}
