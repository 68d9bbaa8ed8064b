import type {KubeObject} from '../../api/types.js'
import {mediaType, decodeObjectBody, readBody} from '../request-body.js'
import {checkFields, fieldValidationMode} from '../field-validation.js'
import {fieldManagerOf, isDryRun, type ResourceRequest} from '../handler-context.js'
import {sendJson} from '../status.js'

export async function handleCreate(rr: ResourceRequest): Promise<void> {
  const {info, resource, services, req} = rr
  const mode = fieldValidationMode(info.query)
  const body = await readBody(req)
  const {object, warnings} = decodeObjectBody(body, req.headers['content-type'])
  // Protobuf bodies are typed on the wire, so only JSON/YAML bodies are schema-checked.
  if (mediaType(req.headers['content-type']) !== 'application/vnd.kubernetes.protobuf') checkFields(resource, object, mode, rr.res)
  else checkFields(resource, object, 'Ignore', rr.res, warnings)
  const created = await services.registry.create(resource, info.namespace, object as KubeObject, {
    manager: fieldManagerOf(rr),
    dryRun: isDryRun(info.query),
  })
  sendJson(rr.res, 201, created)
}
