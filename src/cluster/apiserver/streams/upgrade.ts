// Entry point for the https server's 'upgrade' event: pods/exec, pods/attach and pods/portforward
// over WebSocket (GET, `Upgrade: websocket`) or SPDY/3.1 (POST, `Upgrade: SPDY/3.1`). Everything
// else that asks for an upgrade is refused with a Status.
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'
import {ApiError, badRequest} from '../../api/errors.js'
import {logger} from '../../log.js'
import type {ServerServices, UserInfo} from '../handler-context.js'
import {parseRequestInfo} from '../request-info.js'
import {startExec, startPortForward, type StreamEndpoint} from './stream-endpoints.js'
import {refuseUpgrade} from './raw-response.js'

const log = logger('streams')

const SUBRESOURCES = new Set(['exec', 'attach', 'portforward'])

export function handleStreamUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo | undefined, services: ServerServices): void {
  socket.on('error', (error) => log.debug({err: error}, 'stream socket error'))
  route(req, socket, head, user, services).catch((error) => {
    if (!(error instanceof ApiError)) log.debug({err: error}, 'stream upgrade failed')
    refuseUpgrade(socket, error)
  })
}

async function route(req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo | undefined, services: ServerServices): Promise<void> {
  const info = parseRequestInfo(req.method ?? 'GET', req.url ?? '/')
  if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized: a client certificate signed by the cluster CA is required (use the kubeconfig from `kcluster kubeconfig`)')
  if (!info.isResourceRequest || info.group !== '' || info.resource !== 'pods' || !info.name || !info.namespace || !SUBRESOURCES.has(info.subresource ?? ''))
    throw badRequest('an upgrade is only served for pods/exec, pods/attach and pods/portforward')
  const transport = transportOf(req)
  if (!transport) throw badRequest('Upgrade request required: use a WebSocket GET or a SPDY/3.1 POST')
  if ((transport === 'websocket') !== (req.method === 'GET')) throw new ApiError(405, 'MethodNotAllowed', `${transport} upgrades use ${transport === 'websocket' ? 'GET' : 'POST'}`)
  const runtime = services.streams
  if (!runtime) throw new ApiError(501, 'InternalError', `pods/${info.subresource} is not available: this node's runtime does not stream`)
  const endpoint: StreamEndpoint = {req, socket, head, transport, query: info.query, namespace: info.namespace, name: info.name, runtime, services}
  if (info.subresource === 'portforward') return startPortForward(endpoint)
  return startExec(endpoint, info.subresource === 'attach' ? 'attach' : 'exec')
}

function transportOf(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase()
  if (upgrade === 'websocket') return 'websocket'
  if (upgrade.startsWith('spdy/3.1')) return 'spdy'
  return undefined
}
