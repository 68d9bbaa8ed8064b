// The PodTopologySpread filter for `whenUnsatisfiable: DoNotSchedule`: placing the pod in the node's
// domain must keep (matching pods there + 1 if the pod matches itself) - (fewest matching pods in any
// domain) within maxSkew. With fewer domains than minDomains the minimum counts as 0.
import {matchesLabels} from '../../api/label-selector.js'
import {matchingPodsOnNode, nodeHasAllKeys, nodeIncluded, spreadConstraints, type SpreadConstraint} from '../spread-constraints.js'
import type {FilterPlugin} from '../types.js'
import {FIT, rejected, unresolvable} from '../types.js'

export const REASON_SPREAD = "node(s) didn't match pod topology spread constraints"
export const REASON_SPREAD_MISSING_LABEL = `${REASON_SPREAD} (missing required label)`

interface ConstraintState {
  constraint: SpreadConstraint
  counts: Map<string, number>
  min: number
}

type SpreadState = ConstraintState[] | undefined

export const podTopologySpread: FilterPlugin<SpreadState> = {
  name: 'PodTopologySpread',
  prepare(pod, cluster) {
    const constraints = spreadConstraints(pod.pod, 'DoNotSchedule')
    if (constraints.length === 0) return undefined
    const states: ConstraintState[] = constraints.map((constraint) => ({constraint, counts: new Map(), min: 0}))
    for (const node of cluster.nodes) {
      if (!nodeHasAllKeys(node, constraints)) continue
      for (const s of states) {
        if (!nodeIncluded(pod, node, s.constraint)) continue
        const value = node.labels[s.constraint.topologyKey]
        s.counts.set(value, (s.counts.get(value) ?? 0) + matchingPodsOnNode(node, s.constraint.selector, pod.namespace))
      }
    }
    for (const s of states) s.min = s.counts.size < s.constraint.minDomains || s.counts.size === 0 ? 0 : Math.min(...s.counts.values())
    return states
  },
  filter(pod, nodeInfo, states) {
    if (!states) return FIT
    for (const {constraint, counts, min} of states) {
      if (!Object.hasOwn(nodeInfo.labels, constraint.topologyKey)) return unresolvable(REASON_SPREAD_MISSING_LABEL)
      const self = matchesLabels(constraint.selector, pod.labels) ? 1 : 0
      const skew = (counts.get(nodeInfo.labels[constraint.topologyKey]) ?? 0) + self - min
      if (skew > constraint.maxSkew) return rejected(REASON_SPREAD)
    }
    return FIT
  },
}
