// Deployment status from its ReplicaSets (syncRolloutStatus): counts, the Available condition, and the
// Progressing condition with its deadline. Progress (counts moving) refreshes lastUpdateTime; a rollout
// that makes none for progressDeadlineSeconds becomes ProgressDeadlineExceeded.
import type {Deployment, DeploymentCondition, ReplicaSet} from 'kubernetes-types/apps/v1.js'
import type {KubeObject, Mutable} from '../../api/types.js'
import {rfc3339} from '../../clock.js'
import {resolveFenceposts} from './rollout-math.js'

export type OwnedReplicaSet = KubeObject & Mutable<ReplicaSet>
type DeploymentStatus = Mutable<NonNullable<Deployment['status']>>

export function deploymentStatus(
  d: KubeObject & Mutable<Deployment>,
  owned: OwnedReplicaSet[],
  newRS: OwnedReplicaSet | undefined,
  now: Date,
): {status: DeploymentStatus; requeueAfterMs?: number} {
  const desired = d.spec?.replicas ?? 1
  const sum = (f: (rs: OwnedReplicaSet) => number | undefined) => owned.reduce((total, rs) => total + (f(rs) ?? 0), 0)
  const replicas = sum((rs) => rs.status?.replicas)
  const updatedReplicas = newRS?.status?.replicas ?? 0
  const readyReplicas = sum((rs) => rs.status?.readyReplicas)
  const availableReplicas = sum((rs) => rs.status?.availableReplicas)
  const specTotal = sum((rs) => rs.spec?.replicas)
  const previous = d.status ?? {}
  const stamp = rfc3339(now)
  const {unavailable} = resolveFenceposts(d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable, desired)
  const maxUnavailable = d.spec?.strategy?.type === 'Recreate' ? 0 : unavailable

  const condition = (type: string, status: string, reason: string, message: string, progressed: boolean): DeploymentCondition => {
    const prev = previous.conditions?.find((c) => c.type === type)
    const unchanged = prev && prev.status === status && prev.reason === reason && prev.message === message
    return {
      type,
      status,
      lastUpdateTime: unchanged && !progressed ? prev!.lastUpdateTime : stamp,
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : stamp,
      reason,
      message,
    }
  }

  const available =
    availableReplicas >= desired - maxUnavailable
      ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', false)
      : condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', false)

  const progressed =
    (previous.updatedReplicas ?? 0) !== updatedReplicas ||
    (previous.availableReplicas ?? 0) !== availableReplicas ||
    (previous.replicas ?? 0) !== replicas ||
    (previous.readyReplicas ?? 0) !== readyReplicas
  const rsName = newRS?.metadata.name ?? ''
  const complete = newRS !== undefined && updatedReplicas === desired && replicas === desired && availableReplicas === desired && (newRS.spec?.replicas ?? 0) === desired
  let progressing: DeploymentCondition
  let requeueAfterMs: number | undefined
  if (d.spec?.paused) progressing = condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', false)
  else if (complete) progressing = condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, false)
  else {
    const prev = previous.conditions?.find((c) => c.type === 'Progressing')
    const wasCreated = !prev || prev.reason === 'NewReplicaSetAvailable' || prev.reason === 'DeploymentPaused'
    progressing = condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, progressed || wasCreated)
    if (prev?.reason === 'ProgressDeadlineExceeded' && !progressed) progressing = {...prev}
    const deadline = (d.spec?.progressDeadlineSeconds ?? 600) * 1000
    const since = now.getTime() - new Date(progressing.lastUpdateTime ?? stamp).getTime()
    if (progressing.reason === 'ReplicaSetUpdated' && since > deadline)
      progressing = condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, false)
    else if (progressing.reason === 'ReplicaSetUpdated') requeueAfterMs = deadline - since + 100
  }

  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas,
    updatedReplicas,
    readyReplicas,
    availableReplicas,
    unavailableReplicas: Math.max(0, specTotal - availableReplicas),
    conditions: [available, progressing],
  }
  if (previous.collisionCount !== undefined) status.collisionCount = previous.collisionCount
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) if (status[k] === 0) delete status[k]
  return {status, requeueAfterMs}
}
