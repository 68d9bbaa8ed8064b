// Matching a request against the route table, as the Ingress spec describes it:
// https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types and #hostname-wildcards.
// Tiers are tried in order and the first tier with a matching path wins: rules for the exact host, then
// the one `*.suffix` rule that covers the host (a wildcard covers exactly one DNS label), then rules
// without host (the spec says they apply to all inbound traffic), then the defaultBackend.
import type {IngressBackendRef, IngressRef, PathRoute, RouteTable} from './ingress-routes.js'

export interface RouteMatch {
  backend: IngressBackendRef
  source: IngressRef
  /** The route that matched, or undefined when the defaultBackend answered. */
  route?: PathRoute
}

/** The backend for a request's Host header and path, or undefined (the caller answers 404). */
export function matchRoute(table: RouteTable, hostHeader: string | undefined, requestPath: string): RouteMatch | undefined {
  const host = normalizeHost(hostHeader)
  const path = pathOf(requestPath)
  const tiers: Array<readonly PathRoute[] | undefined> = []
  if (host) {
    tiers.push(table.exact.get(host))
    const dot = host.indexOf('.')
    if (dot > 0) tiers.push(table.wildcard.get(host.slice(dot + 1)))
  }
  tiers.push(table.catchAll)
  for (const routes of tiers) {
    const route = routes?.find((r) => pathMatches(r, path))
    if (route) return {backend: route.backend, source: route.source, route}
  }
  return table.defaultBackend ? {...table.defaultBackend} : undefined
}

/**
 * Exact: the whole path, case-sensitive, trailing slash significant. Prefix: element by element, so
 * `/foo` matches `/foo`, `/foo/` and `/foo/bar` but not `/foobar`; a trailing slash on the rule is ignored.
 */
export function pathMatches(route: Pick<PathRoute, 'pathType' | 'match'>, path: string): boolean {
  if (route.pathType === 'Exact') return path === route.match
  return route.match === '' || path === route.match || path.startsWith(`${route.match}/`)
}

/** The host part of a Host header (or :authority), lower-case, without port or trailing dot. */
export function normalizeHost(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined
  let host = hostHeader.trim().toLowerCase()
  if (host.startsWith('[')) {
    // An IPv6 literal: no Ingress rule can name it, but it must not be cut at its colons.
    const end = host.indexOf(']')
    return end > 0 ? host.slice(0, end + 1) : host
  }
  const colon = host.lastIndexOf(':')
  if (colon >= 0) host = host.slice(0, colon)
  if (host.endsWith('.')) host = host.slice(0, -1)
  return host || undefined
}

/** The path of a request target: origin-form `/a?b` or absolute-form `http://h/a?b`, query and fragment dropped. */
export function pathOf(target: string): string {
  let path = target
  if (!path.startsWith('/')) {
    const scheme = path.indexOf('://')
    if (scheme >= 0) {
      const slash = path.indexOf('/', scheme + 3)
      path = slash >= 0 ? path.slice(slash) : '/'
    }
  }
  const end = path.search(/[?#]/)
  if (end >= 0) path = path.slice(0, end)
  return path || '/'
}

/** Whether a TLS or rule host (`foo.com` or `*.foo.com`) covers a server name, one label deep for wildcards. */
export function hostMatches(pattern: string, serverName: string): boolean {
  const p = pattern.toLowerCase()
  const name = serverName.toLowerCase()
  if (!p.startsWith('*.')) return p === name
  const dot = name.indexOf('.')
  return dot > 0 && name.slice(dot + 1) === p.slice(2)
}
