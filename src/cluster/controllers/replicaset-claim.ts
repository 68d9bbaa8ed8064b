// PodControllerRefManager.ClaimPods for a ReplicaSet: which active pods it controls after adopting
// matching orphans and releasing its pods whose labels no longer match. Every write re-checks the
// live pod (uid, current controller), so a pod someone else claimed meanwhile is left alone.
import type {ReplicaSet} from 'kubernetes-types/apps/v1.js'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {matchesLabels, type LabelSelector} from '../api/label-selector.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {controllerReference, MANAGER, type WriteObserver} from './replicaset-pod-control.js'
import {controllerOf} from './replicaset-pod-state.js'

const PODS = resourceOfKind('Pod')

/**
 * The pods (of `active`) the ReplicaSet controls, adopting and releasing on the way. While the
 * ReplicaSet is being deleted nothing is adopted or released, and only pods that are already its own
 * and still match count. A failed write throws, so the sync is retried (as upstream returns the error).
 */
export async function claimPods(registry: ObjectRegistry, rs: ReplicaSet, selector: LabelSelector, active: Pod[], onWrite?: WriteObserver): Promise<Pod[]> {
  const uid = rs.metadata!.uid!
  const deleting = Boolean(rs.metadata?.deletionTimestamp)
  const claimed: Pod[] = []
  for (const pod of active) {
    const ref = controllerOf(pod)
    const matches = matchesLabels(selector, pod.metadata?.labels)
    if (ref) {
      if (ref.uid !== uid) continue
      if (matches) claimed.push(pod)
      else if (!deleting) await release(registry, pod, uid, onWrite)
      continue
    }
    if (deleting || !matches || pod.metadata?.deletionTimestamp) continue
    const adopted = await adopt(registry, rs, selector, pod, onWrite)
    if (adopted) claimed.push(adopted)
  }
  return claimed
}

/** Adds the controller reference; undefined when the pod is gone, relabelled or got another controller meanwhile. */
async function adopt(registry: ObjectRegistry, rs: ReplicaSet, selector: LabelSelector, pod: Pod, onWrite?: WriteObserver): Promise<Pod | undefined> {
  let adopted = false
  try {
    const {object} = await registry.update(
      PODS,
      pod.metadata!.namespace,
      pod.metadata!.name!,
      (live) => {
        const controller = controllerOf(live!)
        const eligible = live!.metadata.uid === pod.metadata!.uid && !live!.metadata.deletionTimestamp && matchesLabels(selector, live!.metadata.labels)
        // Already ours (an earlier sync adopted it and its answer was lost) counts as adopted too.
        adopted = eligible && (!controller || controller.uid === rs.metadata!.uid)
        if (adopted && !controller) live!.metadata.ownerReferences = [...(live!.metadata.ownerReferences ?? []), controllerReference(rs)]
        return live!
      },
      {manager: MANAGER},
    )
    onWrite?.(object)
    return adopted ? (object as unknown as Pod) : undefined
  } catch (error) {
    if ((error as {code?: number}).code === 404) return undefined
    throw error
  }
}

/** Removes this ReplicaSet's reference from a pod it no longer selects. */
async function release(registry: ObjectRegistry, pod: Pod, uid: string, onWrite?: WriteObserver): Promise<void> {
  try {
    const {object} = await registry.update(
      PODS,
      pod.metadata!.namespace,
      pod.metadata!.name!,
      (live) => {
        if (live!.metadata.uid !== pod.metadata!.uid) return live!
        const refs = (live!.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid)
        const next: KubeObject = live!
        if (refs.length > 0) next.metadata.ownerReferences = refs
        else delete next.metadata.ownerReferences
        return next
      },
      {manager: MANAGER},
    )
    onWrite?.(object)
  } catch (error) {
    // Gone already: nothing left to release (upstream also ignores NotFound here).
    if ((error as {code?: number}).code !== 404) throw error
  }
}
