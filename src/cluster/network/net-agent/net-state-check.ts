// The state arrives as JSON over a socket, so its shape is checked before anything acts on it: a state
// whose frame is wrong (no address list, no DNS section) is refused whole, while one bad proxy entry is
// left out and reported under its key, and the rest of the state still applies. The DNS snapshot is
// checked to the depth the record builder relies on (lists of objects); what is inside each item is
// the builder's business, and a throw there is caught by the agent.
import type {ProxyEndpoint, SessionAffinity} from '../proxy/endpoint-picker.js'
import type {ProxyTableEntry} from '../proxy/proxy-table.js'
import type {NetState} from '../net-protocol.js'

export interface StateFailure {
  key: string
  message: string
}

export type CheckedState =
  | {ok: true; state: NetState; failures: StateFailure[]}
  | {ok: false; failures: StateFailure[]}

/** The failure key of a state refused as a whole. */
export const STATE_KEY = 'state'

export function checkNetState(value: unknown): CheckedState {
  const refuse = (message: string): CheckedState => ({ok: false, failures: [{key: STATE_KEY, message: `state refused: ${message}`}]})
  if (!isObject(value)) return refuse('not an object')
  const {addresses, proxies, dns} = value
  if (!Array.isArray(addresses) || !addresses.every((a) => typeof a === 'string')) return refuse('addresses must be a list of strings')
  if (!Array.isArray(proxies)) return refuse('proxies must be a list')
  if (!isObject(dns)) return refuse('dns must be an object')
  if (typeof dns.listen !== 'string' || typeof dns.zone !== 'string') return refuse('dns.listen and dns.zone must be strings')
  const snapshot = dns.snapshot
  if (!isObject(snapshot)) return refuse('dns.snapshot must be an object')
  for (const field of ['namespaces', 'services', 'endpoints', 'pods'] as const) {
    const list = snapshot[field]
    if (!Array.isArray(list)) return refuse(`dns.snapshot.${field} must be a list`)
    const itemOk = field === 'namespaces' ? (x: unknown) => typeof x === 'string' : isObject
    if (!list.every(itemOk)) return refuse(`dns.snapshot.${field} holds an item of the wrong kind`)
  }

  const failures: StateFailure[] = []
  const entries: ProxyTableEntry[] = []
  proxies.forEach((entry: unknown, index) => {
    const problem = proxyProblem(entry)
    if (problem === undefined) entries.push(entry as ProxyTableEntry)
    else failures.push({key: isObject(entry) && typeof entry.key === 'string' && entry.key ? entry.key : `proxies[${index}]`, message: `proxy left out: ${problem}`})
  })
  const state: NetState = {
    addresses: addresses as string[],
    proxies: entries,
    dns: {listen: dns.listen, zone: dns.zone, snapshot: snapshot as unknown as NetState['dns']['snapshot']},
  }
  return {ok: true, state, failures}
}

function proxyProblem(entry: unknown): string | undefined {
  if (!isObject(entry)) return 'not an object'
  if (typeof entry.key !== 'string' || entry.key === '') return 'key must be a non-empty string'
  if (typeof entry.host !== 'string' || entry.host === '') return 'host must be a non-empty string'
  if (!isPort(entry.port)) return `port ${JSON.stringify(entry.port)} is not a port number`
  if (entry.protocol !== 'TCP' && entry.protocol !== 'UDP') return `protocol ${JSON.stringify(entry.protocol)} is not TCP or UDP`
  if (!Array.isArray(entry.endpoints)) return 'endpoints must be a list'
  if (!entry.endpoints.every(isEndpoint)) return 'every endpoint needs an ip and a port number'
  if (entry.affinity !== undefined && !isAffinity(entry.affinity)) return 'affinity must be {type: None} or {type: ClientIP, timeoutSeconds}'
  return undefined
}

function isEndpoint(value: unknown): value is ProxyEndpoint {
  return isObject(value) && typeof value.ip === 'string' && value.ip !== '' && isPort(value.port) && value.port !== 0
}

function isAffinity(value: unknown): value is SessionAffinity {
  if (!isObject(value)) return false
  if (value.type === 'None') return true
  return value.type === 'ClientIP' && typeof value.timeoutSeconds === 'number' && Number.isFinite(value.timeoutSeconds) && value.timeoutSeconds > 0
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
