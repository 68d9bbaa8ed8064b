// The HTTPS API server: on 127.0.0.1 (and on the host's address on the pod network, for pods), TLS
// with client-certificate or service-account bearer-token authentication (no anonymous access beyond
// /version and health), HTTP/1.1 so upgrades work. Every failure becomes a Status.
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
import {answerClientError} from './streams/raw-response.js'

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
  /**
   * Bearer tokens (service-account JWTs): the user a token speaks for, or undefined when it is not
   * good. Consulted only when the connection has no client certificate. Absent: no token is accepted.
   */
  authenticateToken?: (token: string) => Promise<UserInfo | undefined>
  /**
   * One more address to serve on, beside 127.0.0.1: the host's address on the pod network, where the
   * `kubernetes` Service sends pods. Not reachable from other machines (a bridge's address).
   */
  podNetworkAddress?: string
}

export interface ApiServer {
  port: number
  url: string
  close(): Promise<void>
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = logger('apiserver')
  const tlsOptions: https.ServerOptions = {ca: opts.tls.ca, cert: opts.tls.cert, key: opts.tls.key, requestCert: true, rejectUnauthorized: false, ALPNProtocols: ['http/1.1']}
  const server = https.createServer(
    tlsOptions,
    (req, res) => {
      opts.onRequest?.()
      handle(req, res, opts, serverAddress).catch((error) => sendError(res, error))
    },
  )
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    log.debug({err: error}, 'client error')
    answerClientError(error, socket)
  })
  // exec, attach and port-forward: WebSocket GETs and SPDY/3.1 POSTs both arrive here.
  server.on('upgrade', (req, socket, head) => {
    opts.onRequest?.()
    // A rejected token leaves the upgrade unauthenticated, which it answers with its own 401.
    authenticate(req, opts).then(
      (user) => handleStreamUpgrade(req, socket, head, user, opts.services),
      () => handleStreamUpgrade(req, socket, head, undefined, opts.services),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const serverAddress = `127.0.0.1:${port}`
  log.info({port}, 'api server listening')
  const servers = [server]
  if (opts.podNetworkAddress) {
    const podSide = await listenAlso(server, tlsOptions, port, opts.podNetworkAddress)
    if (podSide) servers.push(podSide)
  }
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve())
              s.closeAllConnections()
            }),
        ),
      ).then(() => undefined),
  }
}

/**
 * A second server with the same TLS settings and handlers on `address`:`port`. A Node server listens
 * on one address, and the API must not listen on every address (0.0.0.0 would put it on the LAN).
 * Undefined, with a warning, when the address cannot be bound: pods then cannot reach the API.
 */
async function listenAlso(server: https.Server, tlsOptions: https.ServerOptions, port: number, address: string): Promise<https.Server | undefined> {
  const twin = https.createServer(tlsOptions)
  for (const event of ['request', 'upgrade', 'clientError'] as const) for (const listener of server.listeners(event)) twin.on(event, listener as (...args: unknown[]) => void)
  try {
    await new Promise<void>((resolve, reject) => {
      twin.once('error', reject)
      twin.listen(port, address, () => resolve())
    })
    logger('apiserver').info({address, port}, 'api server listening for pods')
    return twin
  } catch (error) {
    logger('apiserver').warn({address, port, err: error}, 'cannot listen on the pod network: pods will not reach the API server')
    return undefined
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ApiServerOptions, serverAddress: string): Promise<void> {
  const info = parseRequestInfo(req.method ?? 'GET', req.url ?? '/')
  const path = info.isResourceRequest ? '' : info.path.replace(/\/+$/, '') || '/'
  const user = await authenticate(req, opts)
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

/**
 * The request's user: the client certificate's when there is one, else the bearer token's. A token
 * that is presented but not good is a 401 "Unauthorized" even on public paths, as upstream (no
 * anonymous fallback for bad credentials). No credentials at all: undefined.
 */
async function authenticate(req: IncomingMessage, opts: Pick<ApiServerOptions, 'authenticateToken'>): Promise<UserInfo | undefined> {
  const socket = req.socket as TLSSocket
  let user: UserInfo | undefined
  if (usersBySocket.has(socket)) user = usersBySocket.get(socket)
  else {
    user = userFromCertificate(socket)
    usersBySocket.set(socket, user)
  }
  if (user) return user
  const token = bearerToken(req.headers.authorization)
  if (token === undefined || !opts.authenticateToken) return undefined
  const fromToken = await opts.authenticateToken(token)
  if (!fromToken) throw new ApiError(401, 'Unauthorized', 'Unauthorized')
  return fromToken
}

// The bearertoken authenticator's parsing: `Bearer <token>`, scheme case-insensitive; an empty token is no token.
function bearerToken(header: string | undefined): string | undefined {
  const parts = header?.trim().split(/\s+/)
  if (!parts || parts.length !== 2 || parts[0]!.toLowerCase() !== 'bearer' || !parts[1]) return undefined
  return parts[1]
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
