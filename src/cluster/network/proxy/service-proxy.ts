// One Service port made real on one address: a TCP or UDP listener that sends each new connection (or
// UDP flow) to an endpoint the picker chooses. The same class serves ClusterIP:port inside kcluster-net
// and 127.0.0.1:nodePort / LoadBalancer ports in the control plane. Endpoint changes apply to the next
// connection; connections already open are left to finish (UDP flows to a removed endpoint are closed).
import type {Clock} from '../../clock.js'
import {EndpointPicker, NO_AFFINITY, type ProxyEndpoint, type SessionAffinity} from './endpoint-picker.js'
import type {ListenAddress} from './listen-error.js'
import {listenTcp, type TcpListener} from './tcp-proxy.js'
import {listenUdp, type UdpListener} from './udp-proxy.js'

export interface ServiceProxyOptions extends ListenAddress {
  endpoints?: readonly ProxyEndpoint[]
  affinity?: SessionAffinity
  /** Times ClientIP affinity; the system clock unless a test injects one. */
  clock?: Pick<Clock, 'now'>
  /** TCP: how long an endpoint may take to accept before the client is reset (default 10 s). */
  connectTimeoutMs?: number
  /** UDP: how long a flow may be idle before its upstream socket closes (default 30 s, conntrack's UDP timeout). */
  udpIdleTimeoutMs?: number
  /** UDP: at most this many flows at once (default 4096). */
  maxUdpFlows?: number
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_UDP_IDLE_TIMEOUT_MS = 30_000
export const DEFAULT_MAX_UDP_FLOWS = 4096

export class ServiceProxy {
  private closing: Promise<void> | undefined

  private constructor(
    /** The address asked for; `port` is what was bound (differs when 0 was asked for). */
    readonly address: ListenAddress,
    private readonly picker: EndpointPicker,
    private readonly listener: {tcp: TcpListener} | {udp: UdpListener},
  ) {}

  /** Binds the port and starts forwarding; rejects with a ProxyListenError (code EADDRINUSE, EACCES, ...). */
  static async listen(options: ServiceProxyOptions): Promise<ServiceProxy> {
    const picker = new EndpointPicker(options.endpoints ?? [], options.affinity ?? NO_AFFINITY, options.clock)
    const pick = (clientIP: string | undefined) => picker.pick(clientIP)
    const {host, port, protocol} = options
    if (protocol === 'UDP') {
      const udp = await listenUdp({
        host,
        port,
        pick,
        idleTimeoutMs: options.udpIdleTimeoutMs ?? DEFAULT_UDP_IDLE_TIMEOUT_MS,
        maxFlows: options.maxUdpFlows ?? DEFAULT_MAX_UDP_FLOWS,
      })
      return new ServiceProxy({host, port: udp.port, protocol}, picker, {udp})
    }
    const tcp = await listenTcp({host, port, pick, connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS})
    return new ServiceProxy({host, port: tcp.port, protocol}, picker, {tcp})
  }

  get host(): string {
    return this.address.host
  }

  get port(): number {
    return this.address.port
  }

  get protocol(): 'TCP' | 'UDP' {
    return this.address.protocol
  }

  get endpoints(): ProxyEndpoint[] {
    return this.picker.list()
  }

  /** Open TCP connections or UDP flows. */
  get active(): number {
    return 'tcp' in this.listener ? this.listener.tcp.connections : this.listener.udp.flows
  }

  /** New endpoints (and affinity) for every later connection. */
  update(endpoints: readonly ProxyEndpoint[], affinity?: SessionAffinity): void {
    this.picker.update(endpoints, affinity)
    if ('udp' in this.listener) this.listener.udp.prune((e) => this.picker.has(e))
  }

  /** Frees the port and resets open connections; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= 'tcp' in this.listener ? this.listener.tcp.close() : this.listener.udp.close()
    return this.closing
  }
}
