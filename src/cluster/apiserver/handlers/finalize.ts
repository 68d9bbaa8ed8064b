// PUT namespaces/<name>/finalize: the namespace lifecycle's way of clearing spec.finalizers once the
// namespace is empty; only spec.finalizers may change here.
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {decodeObjectBody, readBody} from '../request-body.js'
import {fieldManagerOf, type ResourceRequest} from '../handler-context.js'
import {sendJson} from '../status.js'

export async function handleFinalize(rr: ResourceRequest): Promise<void> {
  const {object} = decodeObjectBody(await readBody(rr.req), rr.req.headers['content-type'])
  const spec = isPlainObject(object.spec) ? object.spec : {}
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : []
  const result = await rr.services.registry.update(
    rr.resource,
    undefined,
    rr.info.name!,
    (live) => ({...live!, spec: {...(live!.spec as object), finalizers}}) as KubeObject,
    {manager: fieldManagerOf(rr), subresource: 'finalize'},
  )
  sendJson(rr.res, 200, result.object)
}
