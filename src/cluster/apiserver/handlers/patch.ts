// PATCH in its four flavours. The patch is applied to the current object inside the registry's
// compare-and-swap loop, so a concurrent writer makes us re-apply rather than lose either write.
import {badRequest, invalid, unsupportedMediaType} from '../../api/errors.js'
import {apiVersionOf} from '../../api/resources.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {checkFields, fieldValidationMode} from '../field-validation.js'
import {fieldManagerOf, isDryRun, type ResourceRequest} from '../handler-context.js'
import {applyJsonPatch} from '../patch/json-patch.js'
import {applyMergePatch} from '../patch/merge-patch.js'
import {serverSideApply} from '../patch/server-side-apply.js'
import {applyStrategicMergePatch} from '../patch/strategic-merge-patch.js'
import {mediaType, parseJson, parseYaml, readBody} from '../request-body.js'
import {sendJson} from '../status.js'

const ACCEPTED = 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml'

export async function handlePatch(rr: ResourceRequest): Promise<void> {
  const {info, resource, services, req} = rr
  const type = mediaType(req.headers['content-type'])
  const mode = fieldValidationMode(info.query)
  const body = await readBody(req)
  const manager = fieldManagerOf(rr)
  const dryRun = isDryRun(info.query)
  const subresource = info.subresource
  const name = info.name!

  if (type === 'application/apply-patch+yaml') {
    // validation.ValidatePatchOptions, answered as NewInvalid on meta.k8s.io PatchOptions (422).
    if (!info.query.get('fieldManager'))
      throw invalid({group: 'meta.k8s.io', kind: 'PatchOptions'}, '', [{type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch'}])
    const applied = parseYaml(body)
    if (!isPlainObject(applied)) throw badRequest('the apply patch must be a YAML or JSON object')
    checkFields(resource, applied, mode, rr.res, [], 'patch')
    const appliedObj = applied as KubeObject
    if (appliedObj.metadata?.name && appliedObj.metadata.name !== name)
      throw badRequest(`the name of the object (${appliedObj.metadata.name}) does not match the name on the URL (${name})`)
    const force = info.query.get('force') === 'true'
    const result = await services.registry.update(
      resource,
      info.namespace,
      name,
      (live) => {
        const merged = serverSideApply({live, applied: appliedObj, manager, force, apiVersion: apiVersionOf(resource), kind: resource.kind, now: services.clock.now(), subresource})
        // The applier does not hold a resourceVersion precondition unless it sent one.
        if (!appliedObj.metadata?.resourceVersion && live) merged.metadata.resourceVersion = live.metadata.resourceVersion
        return merged
      },
      {manager, dryRun, subresource, allowCreate: !subresource, managedFieldsComputed: true},
    )
    sendJson(rr.res, result.created ? 201 : 200, result.object)
    return
  }

  const patch = parseJson(body)
  const apply = patcherFor(type, resource)
  const result = await services.registry.update(
    resource,
    info.namespace,
    name,
    (live) => {
      const patched = apply(live!, patch) as KubeObject
      if (!isPlainObject(patched)) throw badRequest('the patched object must be a JSON object')
      checkFields(resource, patched, mode, rr.res, [], 'patch')
      return patched
    },
    {manager, dryRun, subresource},
  )
  sendJson(rr.res, 200, result.object)
}

function patcherFor(type: string, r: {group: string; kind: string}): (doc: unknown, patch: unknown) => unknown {
  switch (type) {
    case 'application/json-patch+json':
      return applyJsonPatch
    case 'application/merge-patch+json':
      return applyMergePatch
    case 'application/strategic-merge-patch+json':
      return (doc, patch) => applyStrategicMergePatch(doc, patch, r)
    default:
      throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${ACCEPTED}`)
  }
}
