// ReplicaSet status from its pods, as replica_set_utils.go calculateStatus computes it, plus when to
// look again: a ready pod becomes available minReadySeconds later without any event saying so.
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {ReplicaSet, ReplicaSetCondition, ReplicaSetStatus} from 'kubernetes-types/apps/v1.js'
import {rfc3339} from '../clock.js'
import {isPodAvailable, isPodReady, msUntilAvailable} from './replicaset-pod-state.js'

const REPLICA_FAILURE = 'ReplicaFailure'

export interface ManageFailure {
  /** FailedCreate or FailedDelete. */
  reason: string
  message: string
  /** The error behind it, kept for the sync error's cause. */
  cause?: unknown
}

export interface ComputedStatus {
  status: ReplicaSetStatus
  /** Set when a ready pod will become available after this long. */
  recheckAfterMs?: number
}

function templateLabelsMatch(rs: ReplicaSet, pod: Pod): boolean {
  const wanted = rs.spec?.template?.metadata?.labels ?? {}
  const labels = pod.metadata?.labels ?? {}
  return Object.entries(wanted).every(([k, v]) => labels[k] === v)
}

/**
 * `pods` are the active pods the ReplicaSet controls after adoption and release. Zero counts are
 * left out, as the API's omitempty does (replicas has no omitempty and is always present).
 */
export function computeStatus(rs: ReplicaSet, pods: Pod[], failure: ManageFailure | undefined, now: Date): ComputedStatus {
  const nowMs = now.getTime()
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0
  let fullyLabeled = 0
  let ready = 0
  let available = 0
  let recheckAfterMs: number | undefined
  for (const pod of pods) {
    if (templateLabelsMatch(rs, pod)) fullyLabeled++
    if (!isPodReady(pod)) continue
    ready++
    if (isPodAvailable(pod, minReadySeconds, nowMs)) {
      available++
      continue
    }
    const wait = msUntilAvailable(pod, minReadySeconds, nowMs)
    if (wait !== undefined && wait > 0) recheckAfterMs = Math.min(recheckAfterMs ?? wait, wait)
  }
  const status: ReplicaSetStatus = {replicas: pods.length}
  if (fullyLabeled > 0) status.fullyLabeledReplicas = fullyLabeled
  if (ready > 0) status.readyReplicas = ready
  if (available > 0) status.availableReplicas = available
  if (rs.metadata?.generation !== undefined) status.observedGeneration = rs.metadata.generation
  const conditions = withFailureCondition(rs.status?.conditions ?? [], failure, now)
  if (conditions.length > 0) status.conditions = conditions
  return recheckAfterMs === undefined ? {status} : {status, recheckAfterMs}
}

/** A failed create/delete sets ReplicaFailure (once); a clean sync removes it. */
function withFailureCondition(conditions: ReplicaSetCondition[], failure: ManageFailure | undefined, now: Date): ReplicaSetCondition[] {
  const existing = conditions.find((c) => c.type === REPLICA_FAILURE)
  if (failure && !existing)
    return [...conditions, {type: REPLICA_FAILURE, status: 'True', lastTransitionTime: rfc3339(now), reason: failure.reason, message: failure.message}]
  if (!failure && existing) return conditions.filter((c) => c.type !== REPLICA_FAILURE)
  return conditions
}

/** The fields the controller owns, compared so an unchanged world writes nothing. */
export function sameStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const pick = (s: ReplicaSetStatus | undefined) =>
    JSON.stringify([
      s?.replicas ?? 0,
      s?.fullyLabeledReplicas ?? 0,
      s?.readyReplicas ?? 0,
      s?.availableReplicas ?? 0,
      s?.observedGeneration ?? null,
      (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '', c.lastTransitionTime ?? '']),
    ])
  return pick(a) === pick(b)
}
