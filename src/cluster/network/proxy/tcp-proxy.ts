// The TCP half of a Service proxy: accept, pick an endpoint, connect, copy bytes both ways. Each
// direction ends on its own (a client that shuts down its sending side still gets the reply), and a
// reset or error on one side resets the other, as a NATed connection would see it. A Service without
// an endpoint resets new connections at once, as kube-proxy's REJECT rule does.
import net from 'node:net'
import {logger} from '../../log.js'
import type {ProxyEndpoint} from './endpoint-picker.js'
import {listenError, type ListenAddress} from './listen-error.js'

const log = logger('service-proxy')

export interface TcpProxyOptions {
  host: string
  port: number
  /** The endpoint for a new connection from this client, or undefined to reset it. */
  pick: (clientIP: string | undefined) => ProxyEndpoint | undefined
  /** How long to wait for the endpoint to accept before resetting the client. */
  connectTimeoutMs: number
}

export interface TcpListener {
  readonly port: number
  /** Client connections currently being forwarded (or connecting). */
  readonly connections: number
  /** Stops listening and resets every open connection; resolves once the port is free. */
  close(): Promise<void>
}

export async function listenTcp(options: TcpProxyOptions): Promise<TcpListener> {
  const sockets = new Set<net.Socket>()
  let clients = 0
  const server = net.createServer({allowHalfOpen: true, noDelay: true}, (client) => {
    clients++
    client.once('close', () => clients--)
    forward(client, options, sockets)
  })
  const address: ListenAddress = {host: options.host, port: options.port, protocol: 'TCP'}
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(address, error)))
    server.listen({host: options.host, port: options.port, exclusive: true}, () => resolve())
  })
  server.removeAllListeners('error')
  // Accept failures (EMFILE) surface here after listening; the listener itself stays up.
  server.on('error', (error) => log.warn({err: error, host: options.host, port: options.port}, 'tcp proxy accept failed'))
  const bound = (server.address() as net.AddressInfo).port
  return {
    port: bound,
    get connections() {
      return clients
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) abort(socket)
      }),
  }
}

function forward(client: net.Socket, options: TcpProxyOptions, sockets: Set<net.Socket>): void {
  track(client, sockets)
  const target = options.pick(client.remoteAddress)
  if (!target) {
    abort(client)
    return
  }
  const upstream = net.connect({host: target.ip, port: target.port, allowHalfOpen: true, noDelay: true})
  track(upstream, sockets)
  upstream.setTimeout(options.connectTimeoutMs, () => upstream.destroy(new Error(`connect ${target.ip}:${target.port} timed out`)))
  upstream.once('connect', () => {
    upstream.setTimeout(0)
    // Bytes the client sent while we connected wait in its buffer; pipe() also carries each FIN across.
    client.pipe(upstream)
    upstream.pipe(client)
  })
  client.on('error', () => abort(upstream))
  upstream.on('error', (error) => {
    log.debug({err: error, endpoint: `${target.ip}:${target.port}`}, 'tcp proxy upstream failed')
    abort(client)
  })
  client.on('close', (hadError) => hadError && abort(upstream))
  upstream.on('close', (hadError) => hadError && abort(client))
}

function track(socket: net.Socket, sockets: Set<net.Socket>): void {
  sockets.add(socket)
  // A socket that errors with no listener would crash the process; every socket gets one first.
  socket.on('error', () => {})
  socket.once('close', () => sockets.delete(socket))
}

/** Resets a socket (RST, as a NAT would pass it on); one still connecting is reset once it connects. */
function abort(socket: net.Socket): void {
  if (socket.destroyed) return
  try {
    socket.resetAndDestroy()
  } catch {
    socket.destroy()
  }
}
