// The built-in Ingress controller's data path: HTTP and HTTPS listeners that route each request by Host
// and path through the current route table and proxy it to a Service endpoint, round-robin. The route
// table, endpoints and certificates are read through callbacks on every request or handshake, so the
// caller swaps them as the cluster changes without restarting the listeners.
import http, {type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import https from 'node:https'
import type {Duplex} from 'node:stream'
import {logger} from '../../log.js'
import type {IngressBackendRef, RouteTable} from './ingress-routes.js'
import {forwardRequest, forwardUpgrade, sendRawText, sendText, type Endpoint} from './ingress-proxy.js'
import {createSelfSignedCertificate, createSniCallback, type IngressTlsEntry, type PemPair} from './ingress-tls.js'
import {matchRoute} from './route-match.js'

export type {Endpoint}

export interface IngressServerOptions {
  /** The address both listeners bind, `127.0.0.1`. */
  host: string
  /** 0 picks a free port; a port that cannot be bound rejects with IngressListenError. */
  httpPort: number
  httpsPort: number
  routes: () => RouteTable
  /** Ready endpoints of a backend (its Service port resolved, named ports included); empty answers 503. */
  resolve: (backend: IngressBackendRef) => readonly Endpoint[] | Promise<readonly Endpoint[]>
  tls: () => readonly IngressTlsEntry[]
  /** Served when no TLS entry covers the SNI name; a self-signed one is generated when absent. */
  defaultCertificate?: PemPair
  /** How long to wait for a TCP connection to an endpoint before answering 502 (default 10 s). */
  connectTimeoutMs?: number
}

export interface IngressServer {
  httpPort: number
  httpsPort: number
  /** Stop listening and cut every open connection, upgraded ones included. */
  close(): Promise<void>
}

/** A listener could not be bound; `code` is the system error (EADDRINUSE, EACCES) so the caller can fall back. */
export class IngressListenError extends Error {
  override name = 'IngressListenError'
  constructor(
    readonly code: string,
    readonly port: number,
    message: string,
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

export const DEFAULT_BACKEND_404 = 'default backend - 404'
const log = logger('ingress')

/** Start the HTTP and HTTPS listeners; resolves once both are bound. */
export async function startIngressServer(options: IngressServerOptions): Promise<IngressServer> {
  const fallback = options.defaultCertificate ?? await createSelfSignedCertificate({
    commonName: 'Kubernetes Ingress Controller Fake Certificate',
    hosts: ['ingress.local'],
  })
  const agent = new http.Agent({keepAlive: true, maxFreeSockets: 16})
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000
  const upgraded = new Set<Duplex>()
  const next = roundRobin()

  const pick = async (req: IncomingMessage): Promise<Endpoint | number> => {
    const match = matchRoute(options.routes(), req.headers.host, req.url ?? '/')
    if (!match) return 404
    let endpoints: readonly Endpoint[]
    try {
      endpoints = await options.resolve(match.backend)
    } catch (error) {
      log.warn({backend: match.backend, err: error}, 'ingress backend not resolved')
      return 503
    }
    return endpoints.length === 0 ? 503 : next(match.backend, endpoints)
  }

  const onRequest = (proto: 'http' | 'https') => (req: IncomingMessage, res: ServerResponse): void => {
    pick(req).then(
      (target) => {
        if (typeof target === 'number') return sendText(res, target, bodyFor(target))
        forwardRequest(req, res, target, {proto, agent, connectTimeoutMs})
      },
      (error: unknown) => {
        log.error({err: error, url: req.url}, 'ingress request failed')
        if (!res.headersSent) sendText(res, 500, 'Internal Server Error')
        else res.destroy()
      },
    )
  }

  const onUpgrade = (proto: 'http' | 'https') => (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    upgraded.add(socket)
    socket.on('close', () => upgraded.delete(socket))
    socket.on('error', () => socket.destroy())
    pick(req).then(
      (target) => {
        if (typeof target === 'number') return sendRawText(socket, target, bodyFor(target))
        forwardUpgrade(req, socket, head, target, {proto, connectTimeoutMs})
      },
      () => sendRawText(socket, 500, 'Internal Server Error'),
    )
  }

  const plain = http.createServer(onRequest('http'))
  plain.on('upgrade', onUpgrade('http'))
  const secure = https.createServer({
    cert: fallback.cert,
    key: fallback.key,
    SNICallback: createSniCallback(options.tls, fallback),
  }, onRequest('https'))
  secure.on('upgrade', onUpgrade('https'))
  for (const server of [plain, secure]) server.on('clientError', (_error, socket) => socket.destroy())

  const httpPort = await listen(plain, options.host, options.httpPort)
  let httpsPort: number
  try {
    httpsPort = await listen(secure, options.host, options.httpsPort)
  } catch (error) {
    await closeServer(plain)
    agent.destroy()
    throw error
  }
  log.info({host: options.host, httpPort, httpsPort}, 'ingress listening')

  return {
    httpPort,
    httpsPort,
    async close() {
      for (const socket of upgraded) socket.destroy()
      upgraded.clear()
      await Promise.all([closeServer(plain), closeServer(secure)])
      agent.destroy()
    },
  }
}

function bodyFor(status: number): string {
  return status === 404 ? DEFAULT_BACKEND_404 : http.STATUS_CODES[status] ?? String(status)
}

// Round-robin per backend. Counters of backends that disappear stay until the map is large enough to
// reset: a lost position only restarts the rotation.
function roundRobin(): (backend: IngressBackendRef, endpoints: readonly Endpoint[]) => Endpoint {
  const counters = new Map<string, number>()
  return (backend, endpoints) => {
    const key = `${backend.namespace}/${backend.service}:${backend.port}`
    const n = counters.get(key) ?? 0
    if (counters.size >= 4096 && !counters.has(key)) counters.clear()
    counters.set(key, (n + 1) % endpoints.length)
    return endpoints[n % endpoints.length]!
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new IngressListenError(error.code ?? 'UNKNOWN', port, `ingress listen on ${host}:${port}: ${error.message}`, {cause: error}))
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as {port: number}).port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
