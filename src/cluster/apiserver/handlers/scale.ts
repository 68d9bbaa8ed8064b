// The autoscaling/v1 Scale view of a workload (`kubectl scale`): GET, PUT (no Content-Type from
// kubectl) and PATCH, each mapped onto spec.replicas of the parent with its resourceVersion.
import {badRequest, conflict, invalid} from '../../api/errors.js'
import {formatLabelSelector, labelSelectorFromSpec} from '../../api/label-selector.js'
import type {KubeObject} from '../../api/types.js'
import {isPlainObject} from '../../api/types.js'
import {fieldManagerOf, isDryRun, type ResourceRequest} from '../handler-context.js'
import {applyJsonPatch} from '../patch/json-patch.js'
import {applyMergePatch} from '../patch/merge-patch.js'
import {groupResource} from '../registry/object-registry.js'
import {decodeObjectBody, mediaType, parseJson, readBody} from '../request-body.js'
import {sendJson} from '../status.js'

interface Workload extends KubeObject {
  spec?: {replicas?: number; selector?: Parameters<typeof labelSelectorFromSpec>[0]}
  status?: {replicas?: number}
}

export function scaleOf(obj: Workload): KubeObject {
  const m = obj.metadata
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp},
    spec: {replicas: obj.spec?.replicas ?? 0},
    status: {replicas: obj.status?.replicas ?? 0, selector: formatLabelSelector(labelSelectorFromSpec(obj.spec?.selector))},
  }
}

export async function handleScale(rr: ResourceRequest): Promise<void> {
  const {info, resource, services, req} = rr
  const name = info.name!
  if (req.method === 'GET') {
    sendJson(rr.res, 200, scaleOf((await services.registry.get(resource, info.namespace, name)) as Workload))
    return
  }
  const body = await readBody(req)
  const type = mediaType(req.headers['content-type'])
  let desired: (current: KubeObject) => KubeObject
  if (req.method === 'PUT') {
    const {object} = decodeObjectBody(body, req.headers['content-type'])
    desired = () => object as KubeObject
  } else if (req.method === 'PATCH') {
    const patch = parseJson(body)
    if (type === 'application/json-patch+json') desired = (current) => applyJsonPatch(current, patch) as KubeObject
    else desired = (current) => applyMergePatch(current, patch) as KubeObject
  } else {
    throw badRequest(`${req.method} is not supported on the scale subresource`)
  }
  const result = await services.registry.update(
    resource,
    info.namespace,
    name,
    (live) => {
      const scale = desired(scaleOf(live as Workload))
      const replicas = (scale.spec as {replicas?: unknown} | undefined)?.replicas
      if (typeof replicas !== 'number' || !Number.isInteger(replicas))
        throw badRequest(`Scale.spec.replicas must be an integer, got ${JSON.stringify(replicas)}`)
      // autoscalingvalidation.ValidateScale, reported as NewInvalid(autoscaling.Kind("Scale"), ...).
      if (replicas < 0)
        throw invalid({group: 'autoscaling', kind: 'Scale'}, name, [{type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0'}])
      const rv = scale.metadata?.resourceVersion
      if (rv && rv !== live!.metadata.resourceVersion) throw conflict(groupResource(resource), name)
      const next = live as Workload
      next.spec = {...(isPlainObject(next.spec) ? next.spec : {}), replicas}
      return next
    },
    {manager: fieldManagerOf(rr), dryRun: isDryRun(info.query), subresource: 'scale'},
  )
  sendJson(rr.res, 200, scaleOf(result.object as Workload))
}
