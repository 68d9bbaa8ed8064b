// Binding a pod to a node sets spec.nodeName once and records PodScheduled; a second binding conflicts.
import {conflict} from '../../api/errors.js'
import type {ResourceType} from '../../api/resources.js'
import {rfc3339} from '../../clock.js'
import type {ObjectRegistry} from './object-registry.js'
import {groupResource} from './object-registry.js'

export async function bindPod(registry: ObjectRegistry, pods: ResourceType, namespace: string, name: string, node: string, manager: string, now: Date): Promise<void> {
  await registry.update(
    pods,
    namespace,
    name,
    (live) => {
      const pod = live as {spec?: {nodeName?: string}; status?: {conditions?: Array<Record<string, unknown>>}} & typeof live
      if (pod!.metadata.deletionTimestamp) throw conflict(groupResource(pods), name, 'pod is being deleted, cannot be assigned to a host')
      if (pod!.spec?.nodeName) throw conflict(groupResource(pods), name, `pod ${name} is already assigned to node "${pod!.spec.nodeName}"`)
      pod!.spec = {...pod!.spec, nodeName: node}
      const conditions = (pod!.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled')
      conditions.push({type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now)})
      pod!.status = {...pod!.status, conditions}
      return pod!
    },
    {manager, subresource: 'binding'},
  )
}
