// TaintToleration scoring: fewer PreferNoSchedule taints the pod does not tolerate is better; the node
// with the most gets 0, nodes with none get 100.
import type {Toleration} from 'kubernetes-types/core/v1.js'
import {isTaintTolerated} from '../tolerations.js'
import type {ScorePlugin} from '../types.js'
import {defaultNormalizeScore} from './normalize.js'

export const taintTolerationScore: ScorePlugin<readonly Toleration[]> = {
  name: 'TaintToleration',
  weight: 3,
  prepare(pod, feasible) {
    // Without PreferNoSchedule taints every node scores 100: a constant that cannot change the ranking.
    if (!feasible.some((n) => n.taints.some((t) => t.effect === 'PreferNoSchedule'))) return undefined
    // Only tolerations that can apply to PreferNoSchedule taints matter here.
    return (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule')
  },
  score(_pod, node, tolerations) {
    let intolerable = 0
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !isTaintTolerated(taint, tolerations)) intolerable++
    return intolerable
  },
  normalize: (scores) => defaultNormalizeScore(scores, true),
}
