// POST pods/<name>/eviction (`kubectl drain`): a deletion that honours the Eviction's DeleteOptions.
// PodDisruptionBudgets would be checked here; kcluster serves none yet, so every eviction is allowed.
import {badRequest} from '../../api/errors.js'
import {isPlainObject} from '../../api/types.js'
import type {DeleteOptions} from '../registry/object-registry.js'
import {decodeObjectBody, readBody} from '../request-body.js'
import {isDryRun, type ResourceRequest} from '../handler-context.js'
import {sendJson, successStatus} from '../status.js'

export async function handleEviction(rr: ResourceRequest): Promise<void> {
  const {object} = decodeObjectBody(await readBody(rr.req), rr.req.headers['content-type'])
  const bodyName = (object.metadata as {name?: string} | undefined)?.name
  if (bodyName && bodyName !== rr.info.name) throw badRequest(`name in URL does not match name in Eviction object`)
  const options = isPlainObject(object.deleteOptions) ? object.deleteOptions : {}
  const grace = options.gracePeriodSeconds
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) throw badRequest('deleteOptions.gracePeriodSeconds must be an integer')
  const dryRun = isDryRun(rr.info.query) || (Array.isArray(options.dryRun) && options.dryRun.includes('All'))
  const deleteOptions: DeleteOptions = {
    gracePeriodSeconds: grace as number | undefined,
    dryRun,
    preconditions: isPlainObject(options.preconditions) ? (options.preconditions as DeleteOptions['preconditions']) : undefined,
  }
  await rr.services.registry.delete(rr.resource, rr.info.namespace, rr.info.name!, deleteOptions)
  sendJson(rr.res, 201, successStatus({name: rr.info.name, group: '', kind: 'pods'}))
}
