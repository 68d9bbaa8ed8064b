// Forwarding one HTTP/1.1 exchange to a chosen endpoint: bodies stream both ways (no buffering), hop-by-hop
// headers are dropped (RFC 9110 §7.6.1) and X-Forwarded-* added; Upgrade requests (WebSocket) get the
// backend's 101 and then a raw byte pipe. Failures before the response starts become 502.
import http, {type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse} from 'node:http'
import type {Duplex} from 'node:stream'

export interface Endpoint {
  ip: string
  port: number
}

export interface ForwardOptions {
  /** The scheme the client used, for X-Forwarded-Proto. */
  proto: 'http' | 'https'
  agent: http.Agent
  /** A backend that accepts no connection within this time counts as failed (502). */
  connectTimeoutMs: number
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

/** Proxy a plain request to `target`, streaming the body and the response. */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, target: Endpoint, options: ForwardOptions): void {
  const proxyReq = http.request({
    host: target.ip,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: requestHeaders(req, options.proto, false),
    agent: options.agent,
  })
  guardConnect(proxyReq, options.connectTimeoutMs)
  proxyReq.on('response', (proxyRes) => {
    res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, responseHeaders(proxyRes.rawHeaders))
    proxyRes.pipe(res)
    proxyRes.on('error', () => res.destroy())
  })
  proxyReq.on('error', () => {
    if (!res.headersSent) sendText(res, 502, 'Bad Gateway')
    else res.destroy()
  })
  // The client went away before the response finished: stop the backend exchange too.
  res.on('close', () => {
    if (!res.writableFinished) proxyReq.destroy()
  })
  req.pipe(proxyReq)
}

/** Proxy an Upgrade request: relay the backend's answer, and after a 101 pipe raw bytes both ways. */
export function forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: Endpoint, options: Omit<ForwardOptions, 'agent'>): void {
  const proxyReq = http.request({
    host: target.ip,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: requestHeaders(req, options.proto, true),
    agent: false,
  })
  guardConnect(proxyReq, options.connectTimeoutMs)
  socket.on('error', () => proxyReq.destroy())
  proxyReq.on('upgrade', (proxyRes, proxySocket, proxyHead) => {
    proxySocket.on('error', () => socket.destroy())
    socket.on('close', () => proxySocket.destroy())
    proxySocket.on('close', () => socket.destroy())
    socket.write(rawHead(proxyRes.statusCode ?? 101, proxyRes.statusMessage, proxyRes.rawHeaders))
    if (proxyHead.length > 0) socket.write(proxyHead)
    if (head.length > 0) proxySocket.write(head)
    proxySocket.pipe(socket).pipe(proxySocket)
  })
  // The backend declined the upgrade: pass its answer on and close, since the socket speaks no HTTP any more.
  proxyReq.on('response', (proxyRes) => {
    const headers = responseHeaderPairs(proxyRes.rawHeaders)
    headers.push(['Connection', 'close'])
    socket.write(rawHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, headers.flat()))
    proxyRes.pipe(socket)
  })
  proxyReq.on('error', () => sendRawText(socket, 502, 'Bad Gateway'))
  proxyReq.end()
}

/** A short text/plain answer on a response that has not started. */
export function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body)})
  res.end(body)
}

/** A short text/plain answer written on a raw socket (an Upgrade request that is not proxied), then close. */
export function sendRawText(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed) return
  const headers = ['Content-Type', 'text/plain; charset=utf-8', 'Content-Length', String(Buffer.byteLength(body)), 'Connection', 'close']
  socket.end(rawHead(status, http.STATUS_CODES[status], headers) + body)
}

function requestHeaders(req: IncomingMessage, proto: 'http' | 'https', upgrade: boolean): OutgoingHttpHeaders {
  const dropped = droppedHeaders(req.headers.connection)
  const headers: OutgoingHttpHeaders = {}
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    if (dropped.has(name) || name.startsWith('x-forwarded-') || name === 'x-real-ip') continue
    const existing = headers[name]
    headers[name] = existing === undefined ? raw[i + 1]! : [...(Array.isArray(existing) ? existing : [String(existing)]), raw[i + 1]!]
  }
  if (upgrade) {
    headers.connection = 'Upgrade'
    headers.upgrade = req.headers.upgrade ?? 'websocket'
  }
  const client = req.socket.remoteAddress ?? ''
  const prior = req.headers['x-forwarded-for']
  headers['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client
  headers['x-forwarded-proto'] = proto
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host
  if (req.socket.localPort !== undefined) headers['x-forwarded-port'] = String(req.socket.localPort)
  headers['x-real-ip'] = client
  return headers
}

// Hop-by-hop headers plus any the Connection header names (RFC 9110 §7.6.1).
function droppedHeaders(connection: string | undefined): Set<string> {
  const dropped = new Set(HOP_BY_HOP)
  for (const token of (connection ?? '').split(',')) {
    const name = token.trim().toLowerCase()
    if (name) dropped.add(name)
  }
  return dropped
}

function responseHeaderPairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  let connection = ''
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') connection += `,${rawHeaders[i + 1]}`
  }
  const dropped = droppedHeaders(connection)
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!dropped.has(rawHeaders[i]!.toLowerCase())) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!])
  }
  return pairs
}

function responseHeaders(rawHeaders: readonly string[]): string[] {
  return responseHeaderPairs(rawHeaders).flat()
}

function rawHead(status: number, message: string | undefined, flatHeaders: readonly string[]): string {
  let head = `HTTP/1.1 ${status} ${message ?? http.STATUS_CODES[status] ?? ''}\r\n`
  for (let i = 0; i + 1 < flatHeaders.length; i += 2) head += `${flatHeaders[i]}: ${flatHeaders[i + 1]}\r\n`
  return `${head}\r\n`
}

// Bound the wait for a TCP connection to the endpoint; once connected, streams may idle as long as they like.
function guardConnect(proxyReq: http.ClientRequest, timeoutMs: number): void {
  proxyReq.on('socket', (socket) => {
    if (!(socket as {connecting?: boolean}).connecting) return
    const timer = setTimeout(() => proxyReq.destroy(new Error(`connect timeout after ${timeoutMs} ms`)), timeoutMs)
    socket.once('connect', () => clearTimeout(timer))
    socket.once('close', () => clearTimeout(timer))
  })
}
