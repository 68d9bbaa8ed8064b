// When a pod on a node with NoExecute taints must go (processPodOnNode in pkg/controller/tainteviction):
// a taint no toleration covers evicts at once; otherwise each taint is tolerated by the first matching
// toleration for its tolerationSeconds (none = forever), and the earliest of those deadlines wins.
// Deadlines count from the taint's timeAdded, so they survive a controller restart.
import type {Taint, Toleration} from 'kubernetes-types/core/v1.js'
import {toleratesTaint} from '../../scheduler/tolerations.js'

export type EvictionPlan =
  /** Every taint is tolerated forever (or there is none). */
  | {action: 'keep'}
  /** Evict now; `untolerated` names the taint no toleration covers, if that is the reason. */
  | {action: 'evict'; untolerated?: Taint}
  /** Evict at this instant (ms since the epoch) unless the taints change first. */
  | {action: 'wait'; atMs: number}

/** The NoExecute taints of a node's taint list. */
export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute')
}

/**
 * @param addedAtMs when a taint was added: its timeAdded, or when the controller first saw it.
 */
export function planEviction(taints: readonly Taint[], tolerations: readonly Toleration[], addedAtMs: (taint: Taint) => number, nowMs: number): EvictionPlan {
  let deadline: number | undefined
  for (const taint of noExecuteTaints(taints)) {
    const toleration = tolerations.find((t) => toleratesTaint(t, taint))
    if (!toleration) return {action: 'evict', untolerated: taint}
    const seconds = toleration.tolerationSeconds
    if (seconds === undefined || seconds === null) continue
    // getMinTolerationTime: zero or negative seconds mean "evict at once".
    const at = addedAtMs(taint) + Math.max(0, seconds) * 1000
    deadline = deadline === undefined ? at : Math.min(deadline, at)
  }
  if (deadline === undefined) return {action: 'keep'}
  return deadline <= nowMs ? {action: 'evict'} : {action: 'wait', atMs: deadline}
}
