import {badRequest} from '../../api/errors.js'
import {isPlainObject} from '../../api/types.js'
import {isDryRun, type ResourceRequest} from '../handler-context.js'
import type {DeleteOptions} from '../registry/object-registry.js'
import {parseJson, readBody} from '../request-body.js'
import {selectionFromQuery} from '../selection.js'
import {sendJson} from '../status.js'

export async function handleDelete(rr: ResourceRequest): Promise<void> {
  const {info, resource, services} = rr
  const options = await deleteOptions(rr)
  const result = await services.registry.delete(resource, info.namespace, info.name!, options)
  sendJson(rr.res, 200, result.object)
}

/** DELETE on a collection: every object matching the selectors, one by one. */
export async function handleDeleteCollection(rr: ResourceRequest): Promise<void> {
  const {info, resource, services} = rr
  const options = await deleteOptions(rr)
  const matches = selectionFromQuery(resource, info.query)
  const {items, resourceVersion} = await services.registry.list(resource, info.namespace)
  const deleted = []
  for (const item of items.filter((i) => !matches || matches(i))) {
    try {
      deleted.push((await services.registry.delete(resource, item.metadata.namespace, item.metadata.name!, options)).object)
    } catch (error) {
      if ((error as {code?: number}).code !== 404) throw error
    }
  }
  sendJson(rr.res, 200, {kind: resource.listKind, apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version, metadata: {resourceVersion}, items: deleted})
}

async function deleteOptions(rr: ResourceRequest): Promise<DeleteOptions> {
  const body = await readBody(rr.req)
  const q = rr.info.query
  const fromBody = body.length > 0 ? parseJson(body) : {}
  if (!isPlainObject(fromBody)) throw badRequest('DeleteOptions must be a JSON object')
  const grace = fromBody.gracePeriodSeconds ?? (q.get('gracePeriodSeconds') !== null ? Number(q.get('gracePeriodSeconds')) : undefined)
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) throw badRequest('gracePeriodSeconds must be an integer')
  const policy = fromBody.propagationPolicy ?? q.get('propagationPolicy') ?? undefined
  if (fromBody.orphanDependents === true && policy === undefined) return {gracePeriodSeconds: grace, propagationPolicy: 'Orphan', dryRun: isDryRun(q)}
  if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan')
    throw badRequest(`propagationPolicy must be one of Background, Foreground, Orphan; got ${JSON.stringify(policy)}`)
  const dryRun = isDryRun(q) || (Array.isArray(fromBody.dryRun) && fromBody.dryRun.includes('All'))
  const preconditions = isPlainObject(fromBody.preconditions) ? (fromBody.preconditions as DeleteOptions['preconditions']) : undefined
  return {gracePeriodSeconds: grace as number | undefined, propagationPolicy: policy as DeleteOptions['propagationPolicy'], dryRun, preconditions}
}
