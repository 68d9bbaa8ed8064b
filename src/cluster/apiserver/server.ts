// The HTTPS API server: 127.0.0.1 only, TLS with client-certificate authentication (no anonymous
// access beyond /version and health), HTTP/1.1 so upgrades work. Every failure becomes a Status.
import https from 'node:https'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {TLSSocket} from 'node:tls'
import type {AddressInfo} from 'node:net'
import {ApiError} from '../api/errors.js'
import {logger} from '../log.js'
import {dispatchGroup, dispatchResource} from './dispatch.js'
import {handleDiscoveryRoot} from './handlers/discovery.js'
import {handleHealth, handleVersion, PUBLIC_PATHS} from './handlers/non-resource.js'
import {handleOpenApi} from './handlers/openapi.js'
import type {ServerServices, UserInfo} from './handler-context.js'
import {parseRequestInfo} from './request-info.js'
import {sendError, sendJson} from './status.js'
import {handleStreamUpgrade} from './streams/upgrade.js'

export interface ApiServerOptions {
  port: number
  tls: {ca: string; cert: string; key: string}
  services: ServerServices
  /** Health checks reported by /readyz?verbose and /healthz. */
  healthChecks: () => Array<{name: string; ok: boolean}>
  /** Body of GET /kcluster/status (kcluster's own summary for `kcluster status`). */
  clusterStatus: () => Promise<unknown>
  /** Called on every request (the idle memory trim watches for quiet periods). */
  onRequest?: () => void
}

export interface ApiServer {
  port: number
  url: string
  close(): Promise<void>
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = logger('apiserver')
  const server = https.createServer(
    {ca: opts.tls.ca, cert: opts.tls.cert, key: opts.tls.key, requestCert: true, rejectUnauthorized: false, ALPNProtocols: ['http/1.1']},
    (req, res) => {
      opts.onRequest?.()
      handle(req, res, opts, serverAddress).catch((error) => sendError(res, error))
    },
  )
  server.on('clientError', (error, socket) => {
    log.debug({err: error}, 'client error')
    socket.destroy()
  })
  // exec, attach and port-forward: WebSocket GETs and SPDY/3.1 POSTs both arrive here.
  server.on('upgrade', (req, socket, head) => {
    opts.onRequest?.()
    handleStreamUpgrade(req, socket, head, authenticate(req), opts.services)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const serverAddress = `127.0.0.1:${port}`
  log.info({port}, 'api server listening')
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ApiServerOptions, serverAddress: string): Promise<void> {
  const info = parseRequestInfo(req.method ?? 'GET', req.url ?? '/')
  const path = info.isResourceRequest ? '' : info.path.replace(/\/+$/, '') || '/'
  const user = authenticate(req)
  if (!user && !(path && PUBLIC_PATHS.has(path)))
    throw new ApiError(401, 'Unauthorized', 'Unauthorized: a client certificate signed by the cluster CA is required (use the kubeconfig from `kcluster kubeconfig`)')
  if (info.isResourceRequest) return dispatchResource(req, res, info, user!, opts.services)

  switch (path) {
    case '/version':
      return handleVersion(res)
    case '/healthz':
    case '/livez':
    case '/readyz': {
      const checks = opts.healthChecks()
      return handleHealth(res, checks.every((c) => c.ok), info.query.has('verbose'), checks)
    }
    case '/api':
    case '/apis':
      return handleDiscoveryRoot(path, req, res, serverAddress)
    case '/kcluster/status':
      return sendJson(res, 200, await opts.clusterStatus())
  }
  if (path.startsWith('/openapi/')) return handleOpenApi(path, res)
  const group = /^\/apis\/([^/]+)$/.exec(path)
  if (group) return dispatchGroup(group[1], res)
  // /api/v1 and /apis/<g>/<v> (no resource) are routed here by parseRequestInfo.
  const gv = /^\/api\/(v1)$/.exec(path) ?? /^\/apis\/([^/]+)\/([^/]+)$/.exec(path)
  if (gv) {
    const [group, version] = gv.length === 2 ? ['', gv[1]] : [gv[1], gv[2]]
    return dispatchResource(req, res, {isResourceRequest: true, prefix: group ? 'apis' : 'api', group, version, verb: 'get', query: info.query}, user!, opts.services)
  }
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource')
}

// The peer certificate is fixed for a TLS connection, so it is read once per keep-alive socket.
const usersBySocket = new WeakMap<TLSSocket, UserInfo | undefined>()

function authenticate(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as TLSSocket
  if (usersBySocket.has(socket)) return usersBySocket.get(socket)
  const user = userFromCertificate(socket)
  usersBySocket.set(socket, user)
  return user
}

function userFromCertificate(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized) return undefined
  const cert = socket.getPeerCertificate()
  if (!cert?.subject) return undefined
  const cn = cert.subject.CN
  const o = cert.subject.O
  const username = (Array.isArray(cn) ? cn[0] : cn) ?? ''
  if (!username) return undefined
  const groups = o === undefined ? [] : Array.isArray(o) ? o : [o]
  return {username, groups: [...groups, 'system:authenticated']}
}
