// Keeps a set of ServiceProxies in line with a desired table, level-based: each sync opens what is new,
// updates endpoints in place, reopens what moved to another address and closes what is gone. A port
// that cannot be bound is reported through a callback (once per key and failure, not on every retry)
// so the caller can put it in a Service event; the key is retried on the next sync.
import type {Clock} from '../../clock.js'
import {endpointKey, NO_AFFINITY, type ProxyEndpoint, type SessionAffinity} from './endpoint-picker.js'
import {listenError, ProxyListenError, type ListenAddress} from './listen-error.js'
import {ServiceProxy, type ServiceProxyOptions} from './service-proxy.js'

export interface ProxyTableEntry extends ListenAddress {
  /** Names the proxy for the caller, e.g. `default/web:http/TCP@127.0.0.1:30080`. */
  key: string
  endpoints: readonly ProxyEndpoint[]
  affinity?: SessionAffinity
}

export interface ProxyTableOptions extends Pick<ServiceProxyOptions, 'connectTimeoutMs' | 'udpIdleTimeoutMs' | 'maxUdpFlows'> {
  clock?: Pick<Clock, 'now'>
  /** A key's port could not be bound; called again only when the failure changes or follows a success. */
  onListenError?: (key: string, error: ProxyListenError) => void
}

export interface ProxySyncResult {
  opened: string[]
  updated: string[]
  closed: string[]
  failed: Array<{key: string; error: ProxyListenError}>
}

interface Held {
  proxy: ServiceProxy
  /** The address as asked (port 0 stays 0), to tell a moved entry from an unchanged one. */
  wanted: ListenAddress
  state: string
}

export class ProxyTable {
  private readonly held = new Map<string, Held>()
  private readonly failing = new Map<string, {error: ProxyListenError; signature: string}>()
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(private readonly options: ProxyTableOptions = {}) {}

  /** Brings the proxies in line with `desired` (the last entry wins for a repeated key); syncs run one at a time. */
  sync(desired: readonly ProxyTableEntry[]): Promise<ProxySyncResult> {
    const run = this.queue.then(() => this.apply(desired))
    this.queue = run.catch(() => {})
    return run
  }

  get(key: string): ServiceProxy | undefined {
    return this.held.get(key)?.proxy
  }

  keys(): string[] {
    return [...this.held.keys()]
  }

  /** Keys whose port could not be bound on the last sync that tried them. */
  failures(): Map<string, ProxyListenError> {
    return new Map([...this.failing].map(([key, f]) => [key, f.error]))
  }

  /** Closes every proxy; later syncs do nothing. */
  close(): Promise<void> {
    const run = this.queue.then(async () => {
      this.closed = true
      this.failing.clear()
      await Promise.all([...this.held.values()].map((h) => h.proxy.close()))
      this.held.clear()
    })
    this.queue = run.catch(() => {})
    return run
  }

  private async apply(desired: readonly ProxyTableEntry[]): Promise<ProxySyncResult> {
    const result: ProxySyncResult = {opened: [], updated: [], closed: [], failed: []}
    if (this.closed) return result
    const wanted = new Map(desired.map((e) => [e.key, e]))
    // Close first, so a port handed from one key to another in the same sync is free to bind.
    for (const [key, held] of [...this.held]) {
      const entry = wanted.get(key)
      if (entry && sameAddress(entry, held.wanted)) continue
      this.held.delete(key)
      await held.proxy.close()
      if (!entry) result.closed.push(key)
    }
    for (const key of [...this.failing.keys()]) if (!wanted.has(key)) this.failing.delete(key)
    for (const [key, entry] of wanted) {
      const held = this.held.get(key)
      const state = stateOf(entry)
      if (held) {
        if (held.state === state) continue
        held.proxy.update(entry.endpoints, entry.affinity ?? NO_AFFINITY)
        held.state = state
        result.updated.push(key)
        continue
      }
      try {
        const {clock, connectTimeoutMs, udpIdleTimeoutMs, maxUdpFlows} = this.options
        const proxy = await ServiceProxy.listen({
          ...addressOf(entry),
          endpoints: entry.endpoints,
          affinity: entry.affinity,
          clock,
          connectTimeoutMs,
          udpIdleTimeoutMs,
          maxUdpFlows,
        })
        this.held.set(key, {proxy, wanted: addressOf(entry), state})
        this.failing.delete(key)
        result.opened.push(key)
      } catch (cause) {
        const error = cause instanceof ProxyListenError ? cause : listenError(addressOf(entry), cause)
        result.failed.push({key, error})
        this.report(key, error)
      }
    }
    return result
  }

  private report(key: string, error: ProxyListenError): void {
    const signature = `${error.address.protocol} ${error.address.host}:${error.address.port} ${error.code}`
    const known = this.failing.get(key)
    this.failing.set(key, {error, signature})
    if (known?.signature === signature) return
    this.options.onListenError?.(key, error)
  }
}

function addressOf(entry: ListenAddress): ListenAddress {
  return {host: entry.host, port: entry.port, protocol: entry.protocol}
}

function sameAddress(a: ListenAddress, b: ListenAddress): boolean {
  return a.host === b.host && a.port === b.port && a.protocol === b.protocol
}

function stateOf(entry: ProxyTableEntry): string {
  return JSON.stringify([entry.endpoints.map(endpointKey), entry.affinity ?? NO_AFFINITY])
}
