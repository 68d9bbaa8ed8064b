// The PodScheduled=False condition kube-scheduler writes when a pod fits nowhere. Transition time
// moves only when the status flips, and an unchanged condition means no write at all.
import type {PodCondition} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../api/types.js'
import {rfc3339} from '../clock.js'

type PodLike = KubeObject & {spec?: {nodeName?: string}; status?: {conditions?: PodCondition[]}}

/**
 * A mutation for registry.update(..., {subresource: 'status'}): the pod with the condition set, or
 * undefined when there is nothing to write (already says so, bound meanwhile, being deleted).
 */
export function unschedulableStatusUpdate(reason: string, message: string, now: Date): (live: KubeObject) => KubeObject | undefined {
  return (live) => {
    const pod = live as PodLike
    if (pod.spec?.nodeName || pod.metadata.deletionTimestamp) return undefined
    const conditions = pod.status?.conditions ?? []
    const index = conditions.findIndex((c) => c.type === 'PodScheduled')
    const current = index >= 0 ? conditions[index] : undefined
    if (current?.status === 'False' && current.reason === reason && current.message === message) return undefined
    const next: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null as unknown as string,
      lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : rfc3339(now),
      reason,
      message,
    }
    const updated = index >= 0 ? conditions.map((c, i) => (i === index ? next : c)) : [...conditions, next]
    return {...pod, status: {...pod.status, conditions: updated}} as KubeObject
  }
}
