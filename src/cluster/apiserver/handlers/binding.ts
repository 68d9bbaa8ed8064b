// POST pods/<name>/binding: assign a pod to a node, the scheduler's one write.
import {badRequest} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {decodeObjectBody, readBody} from '../request-body.js'
import {fieldManagerOf, type ResourceRequest} from '../handler-context.js'
import {sendJson, successStatus} from '../status.js'
import {bindPod} from '../registry/bind-pod.js'

export async function handleBinding(rr: ResourceRequest): Promise<void> {
  const {object} = decodeObjectBody(await readBody(rr.req), rr.req.headers['content-type'])
  const target = (object as KubeObject & {target?: {name?: string}}).target
  if (!isPlainObject(target) || typeof target.name !== 'string' || !target.name) throw badRequest('Binding.target.name: Required value')
  await bindPod(rr.services.registry, rr.resource, rr.info.namespace!, rr.info.name!, target.name, fieldManagerOf(rr), rr.services.clock.now())
  sendJson(rr.res, 201, successStatus({name: rr.info.name, kind: 'pods'}))
}
