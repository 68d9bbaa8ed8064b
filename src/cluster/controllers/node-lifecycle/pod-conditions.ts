// The two pod status changes these controllers make, as UpdatePodCondition does them: a condition whose
// status changes gets a new lastTransitionTime, an identical one is no change at all.
import type {Pod, PodCondition} from 'kubernetes-types/core/v1.js'
import {rfc3339} from '../../clock.js'

export const DISRUPTION_TARGET: Omit<PodCondition, 'lastTransitionTime'> = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
}

/**
 * MarkPodsNotReady: the pod's Ready condition turned False (so Endpoints drop it) because its node
 * stopped reporting. A pod without a Ready condition is left alone. Undefined when nothing changes.
 */
export function notReadyConditions(pod: Pod, now: Date): PodCondition[] | undefined {
  const conditions = pod.status?.conditions ?? []
  const ready = conditions.find((c) => c.type === 'Ready')
  if (!ready || ready.status === 'False') return undefined
  return conditions.map((c) => (c === ready ? {...c, status: 'False', lastTransitionTime: rfc3339(now)} : c))
}

/** The pod's conditions with DisruptionTarget set; undefined when it is already there unchanged. */
export function disruptionTargetConditions(pod: Pod, now: Date): PodCondition[] | undefined {
  const conditions = pod.status?.conditions ?? []
  const existing = conditions.find((c) => c.type === DISRUPTION_TARGET.type)
  if (existing && existing.status === DISRUPTION_TARGET.status && existing.reason === DISRUPTION_TARGET.reason && existing.message === DISRUPTION_TARGET.message)
    return undefined
  const lastTransitionTime = existing?.status === DISRUPTION_TARGET.status && existing.lastTransitionTime ? existing.lastTransitionTime : rfc3339(now)
  const next: PodCondition = {...DISRUPTION_TARGET, lastTransitionTime}
  return existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next]
}
