// Which pods a ReplicaSet deletes first when it has too many: controller.ActivePodsWithRanks, the
// order kube-controller-manager uses (with PodDeletionCost and LogarithmicScaleDown, both on by
// default). The least valuable sort first: unscheduled, pending, not ready, cheap to delete,
// doubled up on a node, ready for less time, restarting more, newest.
import type {Pod} from 'kubernetes-types/core/v1.js'
import {isPodActive, isPodReady, podReadySince} from './replicaset-pod-state.js'

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost'

const PHASE_ORDINAL: Record<string, number> = {Pending: 0, Unknown: 1, Running: 2}

interface Ranked {
  pod: Pod
  /** Active related pods on the same node (the pod's own ReplicaSet and its siblings). */
  rank: number
}

/** helper.GetDeletionCostFromPodAnnotations: an int32; anything unparsable counts as 0. */
export function deletionCost(pod: Pod): number {
  const value = pod.metadata?.annotations?.[POD_DELETION_COST]
  if (value === undefined || !/^-?\d+$/.test(value)) return 0
  const n = Number(value)
  return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n : 0
}

function timeOf(text: string | undefined | null): number {
  const t = text ? Date.parse(text) : Number.NaN
  return Number.isNaN(t) ? 0 : t
}

/** afterOrZero: a missing time sorts first, then the later time. */
function afterOrZero(a: number, b: number): boolean {
  if (a === 0 || b === 0) return a === 0
  return a > b
}

/** logarithmicRankDiff: compares floor(log2(age in ns)), so pods of similar age count as equal. */
function logarithmicRankDiff(a: number, b: number, nowMs: number): number {
  const rank = (t: number) => {
    const ageNs = (nowMs - t) * 1e6
    return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1
  }
  return rank(a) - rank(b)
}

/** Timestamps compared as LogarithmicScaleDown does: newer (by log bucket) first, then by uid. */
function newerFirst(a: number, b: number, ia: Pod, ib: Pod, nowMs: number): boolean {
  if (a === 0 || b === 0) return afterOrZero(a, b)
  const diff = logarithmicRankDiff(a, b, nowMs)
  if (diff === 0) return (ia.metadata?.uid ?? '') < (ib.metadata?.uid ?? '')
  return diff < 0
}

/** maxContainerRestarts: regular containers, and sidecars (init containers with restartPolicy Always). */
function maxRestarts(pod: Pod): {regular: number; sidecar: number} {
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0))
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name))
  const sidecar = Math.max(0, ...(pod.status?.initContainerStatuses ?? []).filter((c) => sidecars.has(c.name)).map((c) => c.restartCount ?? 0))
  return {regular, sidecar}
}

/** ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
export function deleteBefore(a: Ranked, b: Ranked, nowMs: number): boolean {
  const [pa, pb] = [a.pod, b.pod]
  const [na, nb] = [pa.spec?.nodeName ?? '', pb.spec?.nodeName ?? '']
  if (na !== nb && (na === '' || nb === '')) return na === ''
  const [oa, ob] = [PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0, PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0]
  if (oa !== ob) return oa < ob
  const [ra, rb] = [isPodReady(pa), isPodReady(pb)]
  if (ra !== rb) return !ra
  const [ca, cb] = [deletionCost(pa), deletionCost(pb)]
  if (ca !== cb) return ca < cb
  if (a.rank !== b.rank) return a.rank > b.rank
  if (ra && rb) {
    const [ta, tb] = [podReadySince(pa) ?? 0, podReadySince(pb) ?? 0]
    if (ta !== tb) return newerFirst(ta, tb, pa, pb, nowMs)
  }
  const [xa, xb] = [maxRestarts(pa), maxRestarts(pb)]
  if (xa.regular !== xb.regular) return xa.regular > xb.regular
  if (xa.sidecar !== xb.sidecar) return xa.sidecar > xb.sidecar
  const [ka, kb] = [timeOf(pa.metadata?.creationTimestamp), timeOf(pb.metadata?.creationTimestamp)]
  if (ka !== kb) return newerFirst(ka, kb, pa, pb, nowMs)
  return false
}

/**
 * getPodsToDelete: the `count` least valuable of `pods`. Ranks count the active `related` pods on
 * each pod's node (getPodsRankedByRelatedPodsOnSameNode), so doubled-up pods go before lone ones.
 */
export function podsToDelete(pods: Pod[], related: Pod[], count: number, nowMs: number): Pod[] {
  if (count >= pods.length) return [...pods]
  const onNode = new Map<string, number>()
  for (const pod of related) {
    if (!isPodActive(pod)) continue
    const node = pod.spec?.nodeName ?? ''
    onNode.set(node, (onNode.get(node) ?? 0) + 1)
  }
  const ranked: Ranked[] = pods.map((pod) => ({pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0}))
  ranked.sort((a, b) => (deleteBefore(a, b, nowMs) ? -1 : deleteBefore(b, a, nowMs) ? 1 : 0))
  return ranked.slice(0, Math.max(0, count)).map((r) => r.pod)
}
