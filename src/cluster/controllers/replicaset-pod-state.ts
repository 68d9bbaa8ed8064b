// What a ReplicaSet reads off its pods, as k8s.io/kubernetes/pkg/api/v1/pod (podutil) and
// pkg/controller (controller_utils) define it: active, ready, available, controlled by whom.
import type {Pod, PodCondition} from 'kubernetes-types/core/v1.js'
import type {OwnerReference} from 'kubernetes-types/meta/v1.js'
import type {KubeObject} from '../api/types.js'

/** Pods are stored as KubeObjects; the typed view is only for reading spec and status. */
export const asPod = (obj: KubeObject): Pod => obj as unknown as Pod

/** controller.IsPodActive: not finished and not being deleted; only these count as replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp
}

function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True'
}

/** When the pod last became ready (ms since the epoch); undefined when not ready or unknown. */
export function podReadySince(pod: Pod): number | undefined {
  const c = readyCondition(pod)
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined
  const t = Date.parse(c.lastTransitionTime)
  return Number.isNaN(t) ? undefined : t
}

/**
 * podutil.IsPodAvailable: ready, and ready for longer than minReadySeconds (strictly: a pod that
 * became ready exactly minReadySeconds ago is not available yet).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false
  if (minReadySeconds <= 0) return true
  const since = podReadySince(pod)
  return since !== undefined && since + minReadySeconds * 1000 < nowMs
}

/** How long until a ready pod becomes available (0 when it already is, undefined when not ready). */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  if (!isPodReady(pod)) return undefined
  if (isPodAvailable(pod, minReadySeconds, nowMs)) return 0
  const since = podReadySince(pod)
  // Ready without a transition time never becomes available by waiting (as upstream).
  if (since === undefined) return undefined
  // +1 ms: availability needs strictly more than minReadySeconds.
  return since + minReadySeconds * 1000 - nowMs + 1
}

/** metav1.GetControllerOf. */
export function controllerOf(obj: {metadata?: {ownerReferences?: OwnerReference[] | null} | null}): OwnerReference | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((ref) => ref.controller === true)
}
