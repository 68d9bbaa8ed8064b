// PodTopologySpread scoring for `whenUnsatisfiable: ScheduleAnyway`: nodes in domains with fewer
// matching pods score higher. Each constraint adds count × log(domains + 2) + (maxSkew - 1); nodes
// lacking a constraint's topology key are ignored (score 0), the rest are scaled so the emptiest
// domain gets 100 (upstream's scoring.go).
import {LABEL_HOSTNAME, matchingPodsOnNode, nodeHasAllKeys, nodeIncluded, spreadConstraints, type SpreadConstraint} from '../spread-constraints.js'
import type {NodeInfo, ScorePlugin} from '../types.js'
import {MAX_NODE_SCORE} from './normalize.js'

interface SpreadScoreState {
  constraints: SpreadConstraint[]
  /** Aligned with the feasible nodes. */
  ignored: boolean[]
  ignoredNames: Set<string>
  weights: number[]
  /** Per constraint (non-hostname keys): domain value → matching pods. */
  domainCounts: Array<Map<string, number>>
}

const pairCount = (map: Map<string, number>, value: string) => map.get(value) ?? 0

export const topologySpreadScore: ScorePlugin<SpreadScoreState> = {
  name: 'PodTopologySpread',
  weight: 2,
  prepare(pod, feasible, cluster) {
    const constraints = spreadConstraints(pod.pod, 'ScheduleAnyway')
    if (constraints.length === 0) return undefined
    const ignored = feasible.map((n) => !nodeHasAllKeys(n, constraints))
    const ignoredNames = new Set(feasible.filter((_, i) => ignored[i]).map((n) => n.name))
    const scored = feasible.filter((_, i) => !ignored[i])
    const weights = constraints.map((c) => {
      const size = c.topologyKey === LABEL_HOSTNAME ? scored.length : new Set(scored.map((n) => n.labels[c.topologyKey])).size
      return Math.log(size + 2)
    })
    const domainCounts = constraints.map((c) => {
      const counts = new Map<string, number>()
      if (c.topologyKey === LABEL_HOSTNAME) return counts
      for (const v of scored) counts.set(v.labels[c.topologyKey], 0)
      for (const node of cluster.nodes) {
        if (!nodeHasAllKeys(node, constraints) || !nodeIncluded(pod, node, c)) continue
        const value = node.labels[c.topologyKey]
        if (counts.has(value)) counts.set(value, pairCount(counts, value) + matchingPodsOnNode(node, c.selector, pod.namespace))
      }
      return counts
    })
    return {constraints, ignored, ignoredNames, weights, domainCounts}
  },
  score(pod, node: NodeInfo, s) {
    if (s.ignoredNames.has(node.name)) return 0
    let total = 0
    s.constraints.forEach((c, i) => {
      if (!Object.hasOwn(node.labels, c.topologyKey)) return
      const count = c.topologyKey === LABEL_HOSTNAME ? matchingPodsOnNode(node, c.selector, pod.namespace) : pairCount(s.domainCounts[i], node.labels[c.topologyKey])
      total += count * s.weights[i] + (c.maxSkew - 1)
    })
    return Math.round(total)
  },
  normalize(scores, s) {
    const valid = scores.filter((_, i) => !s.ignored[i])
    const min = valid.length > 0 ? Math.min(...valid) : 0
    const max = Math.max(0, ...valid)
    for (let i = 0; i < scores.length; i++) {
      if (s.ignored[i]) scores[i] = 0
      else scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max)
    }
  },
}
