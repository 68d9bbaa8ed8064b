import {negotiate} from '../negotiation.js'
import {objectBody} from '../response-shapes.js'
import {sendJson} from '../status.js'
import type {ResourceRequest} from '../handler-context.js'

export async function handleGet(rr: ResourceRequest): Promise<void> {
  const {info, resource, services} = rr
  const form = negotiate(rr.req.headers.accept, info.query)
  const obj = await services.registry.get(resource, info.namespace, info.name!)
  const {body, contentType} = objectBody(resource, obj, form, services.clock.now())
  sendJson(rr.res, 200, body, contentType)
}
