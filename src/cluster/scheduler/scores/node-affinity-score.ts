// NodeAffinity scoring: the summed weights of the preferred terms a node matches, scaled so the best
// node gets 100.
import type {PreferredSchedulingTerm} from 'kubernetes-types/core/v1.js'
import {nodeSelectorTermMatches} from '../node-selector.js'
import type {ScorePlugin} from '../types.js'
import {defaultNormalizeScore} from './normalize.js'

export const nodeAffinityScore: ScorePlugin<readonly PreferredSchedulingTerm[]> = {
  name: 'NodeAffinity',
  weight: 2,
  prepare(pod) {
    const terms = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
    return terms.length > 0 ? terms : undefined
  },
  score(_pod, node, terms) {
    let total = 0
    for (const t of terms) if (t.weight !== 0 && nodeSelectorTermMatches(t.preference, node)) total += t.weight
    return total
  },
  normalize: (scores) => defaultNormalizeScore(scores, false),
}
