// How deletion proceeds for kinds whose objects outlive the DELETE call: pods terminate gracefully
// (the node agent finishes the deletion) and namespaces wait for their content to be removed.
// Everything else is removed at once unless it carries finalizers.
import type {ResourceType} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {Pod} from 'kubernetes-types/core/v1.js'

export interface DeletionPolicy {
  /** Seconds the object stays (terminating) before it may be removed; 0 removes it now (finalizers permitting). */
  gracePeriodSeconds(obj: KubeObject, requested: number | undefined): number
  /** Changes to make when deletion starts (namespace phase Terminating). */
  onDeletionStarted?(obj: KubeObject): void
  /** True while something other than metadata.finalizers still holds the object. */
  heldBeyondFinalizers?(obj: KubeObject): boolean
}

const podPolicy: DeletionPolicy = {
  gracePeriodSeconds(obj, requested) {
    const pod = obj as unknown as Pod
    // An unscheduled or finished pod has nothing to stop, so it goes at once (as in the real registry).
    if (!pod.spec?.nodeName) return 0
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0
    const grace = requested ?? pod.spec.terminationGracePeriodSeconds ?? 30
    return Math.max(0, grace)
  },
  heldBeyondFinalizers: (obj) => (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0,
}

const namespacePolicy: DeletionPolicy = {
  gracePeriodSeconds: () => 0,
  onDeletionStarted(obj) {
    obj.status = {...((obj.status as object) ?? {}), phase: 'Terminating'}
  },
  heldBeyondFinalizers: (obj) => (((obj.spec as {finalizers?: string[]} | undefined)?.finalizers) ?? []).length > 0,
}

const immediatePolicy: DeletionPolicy = {gracePeriodSeconds: () => 0}

const POLICIES: Record<string, DeletionPolicy> = {
  '/Pod': podPolicy,
  '/Namespace': namespacePolicy,
}

export function deletionPolicyFor(r: ResourceType): DeletionPolicy {
  return POLICIES[`${r.group}/${r.kind}`] ?? immediatePolicy
}

/** The object is marked for deletion and nothing holds it any more. */
export function readyToRemove(r: ResourceType, obj: KubeObject): boolean {
  if (!obj.metadata.deletionTimestamp) return false
  if ((obj.metadata.finalizers ?? []).length > 0) return false
  return !(deletionPolicyFor(r).heldBeyondFinalizers?.(obj) ?? false)
}
