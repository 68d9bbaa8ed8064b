import type {KubeObject} from '../../api/types.js'
import {decodeObjectBody, mediaType, readBody} from '../request-body.js'
import {checkFields, fieldValidationMode} from '../field-validation.js'
import {fieldManagerOf, isDryRun, type ResourceRequest} from '../handler-context.js'
import {sendJson} from '../status.js'

/** PUT of a whole object (main resource or /status). An empty resourceVersion means unconditional. */
export async function handleUpdate(rr: ResourceRequest): Promise<void> {
  const {info, resource, services, req} = rr
  const mode = fieldValidationMode(info.query)
  const body = await readBody(req)
  const {object} = decodeObjectBody(body, req.headers['content-type'])
  if (mediaType(req.headers['content-type']) !== 'application/vnd.kubernetes.protobuf') checkFields(resource, object, mode, rr.res, [], 'update')
  const result = await services.registry.update(resource, info.namespace, info.name!, () => object as KubeObject, {
    manager: fieldManagerOf(rr),
    dryRun: isDryRun(info.query),
    subresource: info.subresource,
  })
  sendJson(rr.res, result.created ? 201 : 200, result.object)
}
