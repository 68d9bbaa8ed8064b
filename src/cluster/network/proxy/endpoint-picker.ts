// Which endpoint a new connection to one Service port goes to: round-robin over the ready endpoints, or,
// under `sessionAffinity: ClientIP`, the endpoint a client IP last used while that use is younger than
// the affinity timeout (kube-proxy refreshes the timer on every new connection, as the iptables
// `recent` match does). An endpoint that goes away releases its clients at once.
import type {Service} from 'kubernetes-types/core/v1.js'
import {systemClock, type Clock} from '../../clock.js'

/** One backend of a Service port: a pod IP and the resolved target port. */
export interface ProxyEndpoint {
  ip: string
  port: number
}

export type SessionAffinity = {type: 'None'} | {type: 'ClientIP'; timeoutSeconds: number}

/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10_800

export const NO_AFFINITY: SessionAffinity = {type: 'None'}

/** The Service's affinity as the proxy applies it (the API server defaults the timeout; so do we). */
export function affinityOf(svc: Service): SessionAffinity {
  if (svc.spec?.sessionAffinity !== 'ClientIP') return NO_AFFINITY
  const timeoutSeconds = svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS
  return {type: 'ClientIP', timeoutSeconds}
}

export function endpointKey(e: ProxyEndpoint): string {
  return `${e.ip}:${e.port}`
}

/** Strips the IPv4-mapped prefix a dual-stack socket gives IPv4 clients, so one client is one key. */
export function plainIP(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}

interface Stick {
  endpoint: string
  lastUsed: number
}

// Expired entries are swept at most this often (in picks) so the table stays bounded by the clients
// seen within one timeout, without a timer of its own.
const SWEEP_EVERY = 256

export class EndpointPicker {
  private endpoints: ProxyEndpoint[] = []
  private byKey = new Map<string, ProxyEndpoint>()
  private next = 0
  private affinity: SessionAffinity = NO_AFFINITY
  private sticks = new Map<string, Stick>()
  private picksSinceSweep = 0

  constructor(
    endpoints: readonly ProxyEndpoint[] = [],
    affinity: SessionAffinity = NO_AFFINITY,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {
    this.update(endpoints, affinity)
  }

  /** Replaces the endpoint set (duplicates dropped) for every later pick; clients stuck to a removed endpoint are released. */
  update(endpoints: readonly ProxyEndpoint[], affinity: SessionAffinity = this.affinity): void {
    const byKey = new Map<string, ProxyEndpoint>()
    for (const e of endpoints) if (!byKey.has(endpointKey(e))) byKey.set(endpointKey(e), {ip: e.ip, port: e.port})
    this.byKey = byKey
    this.endpoints = [...byKey.values()]
    this.next = this.endpoints.length === 0 ? 0 : this.next % this.endpoints.length
    if (affinity.type !== this.affinity.type) this.sticks.clear()
    this.affinity = affinity
    for (const [client, stick] of this.sticks) if (!byKey.has(stick.endpoint)) this.sticks.delete(client)
  }

  get size(): number {
    return this.endpoints.length
  }

  /** The current endpoints, in round-robin order. */
  list(): ProxyEndpoint[] {
    return this.endpoints.map((e) => ({...e}))
  }

  has(endpoint: ProxyEndpoint): boolean {
    return this.byKey.has(endpointKey(endpoint))
  }

  /** The endpoint for a new connection from `clientIP`, or undefined when the port has no endpoint. */
  pick(clientIP?: string): ProxyEndpoint | undefined {
    if (this.endpoints.length === 0) return undefined
    if (this.affinity.type !== 'ClientIP' || !clientIP) return this.roundRobin()
    clientIP = plainIP(clientIP)
    const now = this.clock.now().getTime()
    const ttl = this.affinity.timeoutSeconds * 1000
    this.sweep(now, ttl)
    const stick = this.sticks.get(clientIP)
    const stuck = stick && now - stick.lastUsed < ttl ? this.byKey.get(stick.endpoint) : undefined
    const endpoint = stuck ?? this.roundRobin()
    this.sticks.set(clientIP, {endpoint: endpointKey(endpoint), lastUsed: now})
    return endpoint
  }

  private roundRobin(): ProxyEndpoint {
    const endpoint = this.endpoints[this.next % this.endpoints.length]!
    this.next = (this.next + 1) % this.endpoints.length
    return endpoint
  }

  private sweep(now: number, ttl: number): void {
    if (++this.picksSinceSweep < SWEEP_EVERY) return
    this.picksSinceSweep = 0
    for (const [client, stick] of this.sticks) if (now - stick.lastUsed >= ttl) this.sticks.delete(client)
  }
}
