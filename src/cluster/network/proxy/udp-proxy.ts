// The UDP half of a Service proxy. UDP has no connections, so each client address:port is a flow with
// its own upstream socket (replies come back from the endpoint to that socket and are sent to the
// client from the Service's address) that closes after an idle timeout, like a conntrack entry. A flow
// whose endpoint goes away is closed, as kube-proxy clears stale UDP conntrack entries, so the client's
// next datagram picks a live endpoint. Datagrams for a Service without endpoints are dropped.
import dgram from 'node:dgram'
import {isIPv6} from 'node:net'
import {logger} from '../../log.js'
import type {ProxyEndpoint} from './endpoint-picker.js'
import {listenError, type ListenAddress} from './listen-error.js'

const log = logger('service-proxy')

export interface UdpProxyOptions {
  host: string
  port: number
  pick: (clientIP: string | undefined) => ProxyEndpoint | undefined
  /** A flow with no datagram either way for this long is closed. */
  idleTimeoutMs: number
  /** New clients beyond this many open flows are dropped, so a flood cannot exhaust sockets. */
  maxFlows: number
}

export interface UdpListener {
  readonly port: number
  readonly flows: number
  /** Closes the flows whose endpoint `isLive` no longer accepts. */
  prune(isLive: (endpoint: ProxyEndpoint) => boolean): void
  close(): Promise<void>
}

interface Flow {
  endpoint: ProxyEndpoint
  upstream: dgram.Socket
  idle: NodeJS.Timeout
}

export async function listenUdp(options: UdpProxyOptions): Promise<UdpListener> {
  const socket = dgram.createSocket({type: isIPv6(options.host) ? 'udp6' : 'udp4'})
  const address: ListenAddress = {host: options.host, port: options.port, protocol: 'UDP'}
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => reject(listenError(address, error)))
    socket.bind({address: options.host, port: options.port, exclusive: true}, () => resolve())
  }).catch((error: unknown) => {
    closeQuietly(socket)
    throw error
  })
  socket.removeAllListeners('error')
  socket.on('error', (error) => log.warn({err: error, host: options.host, port: options.port}, 'udp proxy socket failed'))

  const flows = new Map<string, Flow>()
  const closeFlow = (key: string) => {
    const flow = flows.get(key)
    if (!flow) return
    flows.delete(key)
    clearTimeout(flow.idle)
    closeQuietly(flow.upstream)
  }
  const openFlow = (key: string, client: dgram.RemoteInfo): Flow | undefined => {
    if (flows.size >= options.maxFlows) {
      log.warn({host: options.host, port: options.port, flows: flows.size}, 'udp proxy flow table full')
      return undefined
    }
    const endpoint = options.pick(client.address)
    if (!endpoint) return undefined
    const upstream = dgram.createSocket({type: isIPv6(endpoint.ip) ? 'udp6' : 'udp4'})
    const flow: Flow = {endpoint, upstream, idle: setTimeout(() => closeFlow(key), options.idleTimeoutMs)}
    flow.idle.unref()
    upstream.on('error', () => closeFlow(key))
    upstream.on('message', (reply, from) => {
      // The upstream socket is unconnected: only the chosen endpoint's replies belong to this flow.
      if (from.address !== endpoint.ip || from.port !== endpoint.port) return
      flow.idle.refresh()
      socket.send(reply, client.port, client.address, () => {})
    })
    flows.set(key, flow)
    return flow
  }

  socket.on('message', (message, client) => {
    const key = `${client.address}:${client.port}`
    const flow = flows.get(key) ?? openFlow(key, client)
    if (!flow) return
    flow.idle.refresh()
    flow.upstream.send(message, flow.endpoint.port, flow.endpoint.ip, (error) => error && closeFlow(key))
  })

  return {
    port: socket.address().port,
    get flows() {
      return flows.size
    },
    prune(isLive) {
      for (const [key, flow] of [...flows]) if (!isLive(flow.endpoint)) closeFlow(key)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const key of [...flows.keys()]) closeFlow(key)
        socket.close(() => resolve())
      }),
  }
}

/** close() throws on a socket that never bound or is already closed; either way it is gone. */
function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close()
  } catch {
    // already closed
  }
}
