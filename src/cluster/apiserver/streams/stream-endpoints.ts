// The three streaming subresources once the request is known to be an authenticated upgrade:
// resolve the pod, negotiate the stream protocol, complete the handshake and run the session.
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'
import {createWebSocketStream} from 'ws'
import {badRequest} from '../../api/errors.js'
import type {ServerServices} from '../handler-context.js'
import {runExecSession, type ExecTransport} from './exec-session.js'
import {spdyExecTransport} from './exec-transport-spdy.js'
import {websocketExecTransport} from './exec-transport-ws.js'
import {KubeletRefusal, podTarget, requireRunning, resolveContainer, resolvePod} from './pod-target.js'
import {servePortForwardSpdy, type PortForwardDialer} from './port-forward-spdy.js'
import {servePortForwardWebSocket} from './port-forward-websocket.js'
import {writeSpdySwitch} from './raw-response.js'
import {SpdyConnection} from './spdy-connection.js'
import type {StreamRuntime} from './stream-runtime.js'
import {acceptWebSocket} from './websocket-accept.js'
import {CHANNEL_V4, CHANNEL_V5, offeredProtocols} from './websocket-channels.js'

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io'
export const TUNNELED_PORT_FORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io'

export interface StreamEndpoint {
  req: IncomingMessage
  socket: Duplex
  head: Buffer
  transport: 'websocket' | 'spdy'
  query: URLSearchParams
  namespace: string
  name: string
  runtime: StreamRuntime
  services: Pick<ServerServices, 'registry' | 'shutdownSignal'>
}

export async function startExec(ep: StreamEndpoint, kind: 'exec' | 'attach'): Promise<void> {
  const pod = await resolvePod(ep.services.registry, ep.namespace, ep.name)
  const container = resolveContainer(pod, ep.query.get('container'))
  const command = ep.query.getAll('command')
  if (kind === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command')
  const tty = flag(ep.query, 'tty')
  // Like the real server: a terminal merges stderr into stdout, so stderr is dropped.
  const wanted = {stdin: flag(ep.query, 'stdin'), stdout: flag(ep.query, 'stdout'), stderr: flag(ep.query, 'stderr') && !tty, tty}
  if (!wanted.stdin && !wanted.stdout && !wanted.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr')
  requireRunning(pod, container)

  let transport: ExecTransport
  if (ep.transport === 'websocket') {
    const offered = offeredProtocols(ep.req.headers['sec-websocket-protocol'])
    const protocol = [CHANNEL_V5, CHANNEL_V4].find((p) => offered.includes(p))
    if (!protocol) throw refusedProtocol(offered, [CHANNEL_V5, CHANNEL_V4])
    transport = websocketExecTransport(await acceptWebSocket(ep.req, ep.socket, ep.head, protocol), protocol, wanted)
  } else {
    const offered = offeredProtocols(ep.req.headers['x-stream-protocol-version'])
    // v4 is what kubectl's SPDY executor is known to handle best; v5 over SPDY behaves the same.
    const protocol = [CHANNEL_V4, CHANNEL_V5].find((p) => offered.includes(p))
    if (!protocol) throw refusedProtocol(offered, [CHANNEL_V4, CHANNEL_V5])
    writeSpdySwitch(ep.socket, protocol)
    const conn = new SpdyConnection(ep.socket)
    // Listen for the client's streams before feeding bytes that may already hold SYN_STREAMs.
    const pending = spdyExecTransport(conn, wanted)
    conn.feed(ep.head)
    try {
      transport = await pending
    } catch (error) {
      conn.destroy()
      throw error
    }
  }
  const target = {...podTarget(pod), container, ...wanted}
  await runExecSession({
    transport,
    command: kind === 'exec' ? command : undefined,
    start: () => (kind === 'exec' ? ep.runtime.exec({...target, command}) : ep.runtime.attach(target)),
    shutdownSignal: ep.services.shutdownSignal,
  })
}

export async function startPortForward(ep: StreamEndpoint): Promise<void> {
  const pod = await resolvePod(ep.services.registry, ep.namespace, ep.name)
  const target = podTarget(pod)
  const dialer: PortForwardDialer = {
    describe: `pod ${target.namespace}/${target.pod}, uid ${target.podUid}`,
    dial: (port) => ep.runtime.portForward({...target, port}),
  }
  const signal = ep.services.shutdownSignal
  if (ep.transport === 'spdy') {
    const offered = offeredProtocols(ep.req.headers['x-stream-protocol-version'])
    if (!offered.includes(PORT_FORWARD_PROTOCOL)) throw refusedProtocol(offered, [PORT_FORWARD_PROTOCOL])
    writeSpdySwitch(ep.socket, PORT_FORWARD_PROTOCOL)
    const conn = new SpdyConnection(ep.socket)
    servePortForwardSpdy(conn, dialer, signal)
    conn.feed(ep.head)
    return
  }
  const offered = offeredProtocols(ep.req.headers['sec-websocket-protocol'])
  if (offered.includes(TUNNELED_PORT_FORWARD_PROTOCOL)) {
    // kubectl >= 1.31: a SPDY byte stream inside binary WebSocket messages, split anywhere.
    const ws = await acceptWebSocket(ep.req, ep.socket, ep.head, TUNNELED_PORT_FORWARD_PROTOCOL)
    const bytes = createWebSocketStream(ws)
    bytes.on('error', () => bytes.destroy())
    servePortForwardSpdy(new SpdyConnection(bytes), dialer, signal)
    return
  }
  // client-node: the kubelet's channel protocol, v4 or none (v5 is not a port-forward protocol).
  if (offered.length > 0 && !offered.includes(CHANNEL_V4)) throw refusedProtocol(offered, [TUNNELED_PORT_FORWARD_PROTOCOL, CHANNEL_V4])
  const ports = parsePorts(ep.query)
  const protocol = offered.length > 0 ? CHANNEL_V4 : ''
  const ws = await acceptWebSocket(ep.req, ep.socket, ep.head, protocol)
  await servePortForwardWebSocket(ws, protocol || CHANNEL_V4, ports, dialer, signal)
}

function parsePorts(query: URLSearchParams): number[] {
  const raw = [...query.getAll('ports'), ...query.getAll('port')].flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')
  if (raw.length === 0) throw badRequest('query parameter "port" is required')
  return raw.map((value) => {
    const port = Number(value)
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw badRequest(`unable to parse "${value}" as a port: must be between 1 and 65535`)
    return port
  })
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name)
  return value === 'true' || value === '1'
}

/** What httpstream.Handshake answers when no protocol is shared (403, plain text). */
function refusedProtocol(offered: string[], supported: string[]): KubeletRefusal {
  return new KubeletRefusal(403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${supported.join(' ')}]`)
}
