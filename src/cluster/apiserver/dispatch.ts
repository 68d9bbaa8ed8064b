// Routes one authenticated request to its handler by (subresource, verb).
import type {IncomingMessage, ServerResponse} from 'node:http'
import {ApiError, methodNotAllowed, notFound} from '../api/errors.js'
import {findResource, VIRTUAL_RESOURCES} from '../api/resources.js'
import {handleBinding} from './handlers/binding.js'
import {handleCreate} from './handlers/create.js'
import {handleDelete, handleDeleteCollection} from './handlers/delete.js'
import {handleGroup, handleResourceList} from './handlers/discovery.js'
import {handleGet} from './handlers/get.js'
import {handleList} from './handlers/list.js'
import {handlePatch} from './handlers/patch.js'
import {handleReview} from './handlers/reviews.js'
import {handleScale} from './handlers/scale.js'
import {handleUpdate} from './handlers/update.js'
import {handleWatch} from './handlers/watch.js'
import {handleFinalize} from './handlers/finalize.js'
import {handleLog} from './handlers/log.js'
import {handleEviction} from './handlers/eviction.js'
import {handleTokenRequest} from './handlers/token-request.js'
import type {ResourceRequest, ServerServices, UserInfo} from './handler-context.js'
import type {ResourceRequestInfo} from './request-info.js'

type Handler = (rr: ResourceRequest) => Promise<void>

const MAIN: Record<string, Handler> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
}

const STATUS: Record<string, Handler> = {get: handleGet, update: handleUpdate, patch: handlePatch}

const SUBRESOURCES: Record<string, Record<string, Handler>> = {
  status: STATUS,
  scale: {get: handleScale, update: handleScale, patch: handleScale},
  binding: {create: handleBinding},
  finalize: {update: handleFinalize},
  log: {get: handleLog},
  eviction: {create: handleEviction},
  token: {create: handleTokenRequest},
}

const STREAMING = new Set(['exec', 'attach', 'portforward'])

export async function dispatchResource(req: IncomingMessage, res: ServerResponse, info: ResourceRequestInfo, user: UserInfo, services: ServerServices): Promise<void> {
  if (!info.resource) {
    // /api/v1 or /apis/<group>/<version>
    handleResourceList(info.group, info.version, res)
    return
  }
  const resource = findResource(info.group, info.version, info.resource)
  if (!resource) {
    const virtual = VIRTUAL_RESOURCES.find((v) => v.group === info.group && v.version === info.version && v.plural === info.resource)
    if (virtual && req.method === 'POST' && !info.name) return handleReview(virtual.kind, req, res, user)
    if (virtual) throw methodNotAllowed()
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {group: info.group, kind: info.resource})
  }
  if (info.subresource && !resource.subresources.some((s) => s.name === info.subresource))
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {name: info.name, group: info.group, kind: info.resource})
  // The streaming subresources are served on the 'upgrade' event (streams/upgrade.ts) only.
  if (info.subresource && STREAMING.has(info.subresource)) throw new ApiError(400, 'BadRequest', 'Upgrade request required')
  const table = info.subresource ? SUBRESOURCES[info.subresource] : MAIN
  if (!table) throw new ApiError(501, 'InternalError', `the ${info.subresource} subresource is not available yet: streaming (exec, attach, port-forward, proxy) comes with the Docker runtime`)
  const handler = table[info.verb]
  if (!handler) throw methodNotAllowed()
  if (info.verb !== 'list' && info.verb !== 'watch' && info.verb !== 'create' && info.verb !== 'deletecollection' && !info.name) throw notFound({group: resource.group, resource: resource.plural}, '')
  await handler({req, res, info, resource, user, services})
}

export function dispatchGroup(group: string, res: ServerResponse): void {
  handleGroup(group, res)
}

