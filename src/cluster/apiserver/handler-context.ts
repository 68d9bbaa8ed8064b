// What every handler receives: the parsed request, the response, and the control plane's services.
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {ResourceType} from '../api/resources.js'
import type {Clock} from '../clock.js'
import type {Store} from '../store/store.js'
import type {ResourceRequestInfo} from './request-info.js'
import type {ObjectRegistry} from './registry/object-registry.js'
import type {PodLogReader} from '../agent/pod-logs.js'
import type {StreamRuntime} from './streams/stream-runtime.js'
import type {ServiceAccountTokens} from './service-account-tokens.js'

export interface UserInfo {
  username: string
  groups: string[]
}

export interface ServerServices {
  registry: ObjectRegistry
  store: Store
  clock: Clock
  /** Interval between watch bookmarks for clients that asked for them. */
  bookmarkIntervalMs: number
  /** Closed when the server stops, so long-running watches end. */
  shutdownSignal: AbortSignal
  /** The node agent's log access for pods/log (absent in API-only setups). */
  podLogs?: Pick<PodLogReader, 'read' | 'follow'>
  /** exec, attach and port-forward (absent: those upgrades are refused with 501). */
  streams?: StreamRuntime
  /** TokenRequest (serviceaccounts/<name>/token); absent: that subresource answers 501. */
  serviceAccountTokens?: ServiceAccountTokens
}

export interface ResourceRequest {
  req: IncomingMessage
  res: ServerResponse
  info: ResourceRequestInfo
  resource: ResourceType
  user: UserInfo
  services: ServerServices
}

/** Field manager for a write: `?fieldManager=` or, like the real server, the User-Agent up to the first '/'. */
export function fieldManagerOf(rr: ResourceRequest): string {
  const explicit = rr.info.query.get('fieldManager')
  if (explicit) return explicit
  const agent = rr.req.headers['user-agent'] ?? 'unknown'
  return agent.split('/')[0] || 'unknown'
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All')
}
