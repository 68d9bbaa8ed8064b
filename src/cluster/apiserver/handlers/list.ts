import {negotiate} from '../negotiation.js'
import {listBody} from '../response-shapes.js'
import {selectionFromQuery} from '../selection.js'
import {sendJson} from '../status.js'
import type {ResourceRequest} from '../handler-context.js'

// `limit` is honoured by returning everything with no `continue` token, which the API allows.
export async function handleList(rr: ResourceRequest): Promise<void> {
  const {info, resource, services} = rr
  const form = negotiate(rr.req.headers.accept, info.query)
  const matches = selectionFromQuery(resource, info.query)
  const {items, resourceVersion} = await services.registry.list(resource, info.namespace)
  const selected = matches ? items.filter(matches) : items
  const {body, contentType} = listBody(resource, selected, resourceVersion, form, services.clock.now())
  sendJson(rr.res, 200, body, contentType)
}
