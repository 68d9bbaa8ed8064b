// The NodeAffinity filter: spec.nodeSelector and required node affinity. Its PreFilter narrows the
// candidates when every term pins `metadata.name In [...]`; other nodes are then not evaluated and
// report `node(s) didn't satisfy plugin(s) [NodeAffinity]`, as upstream.
import {podMatchesNodeSelectorAndAffinity} from '../node-selector.js'
import type {FilterPlugin} from '../types.js'
import {FIT, unresolvable} from '../types.js'

export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"

interface NodeAffinityState {
  nodeNames?: ReadonlySet<string>
}

export const nodeAffinity: FilterPlugin<NodeAffinityState> = {
  name: 'NodeAffinity',
  prepare(pod) {
    const terms = pod.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
    if (terms.length === 0) return {}
    const union = new Set<string>()
    for (const term of terms) {
      let names: Set<string> | undefined
      for (const r of term.matchFields ?? []) {
        if (r.key !== 'metadata.name' || r.operator !== 'In') continue
        const values = new Set(r.values ?? [])
        names = names ? new Set([...names].filter((n) => values.has(n))) : values
      }
      // A term without a name pin lets any node through: the terms are ORed.
      if (!names) return {}
      for (const n of names) union.add(n)
    }
    return union.size > 0 ? {nodeNames: union} : {}
  },
  eligibleNodes: (state) => state.nodeNames,
  filter(pod, nodeInfo) {
    return podMatchesNodeSelectorAndAffinity(pod.pod, nodeInfo) ? FIT : unresolvable(REASON_NODE_AFFINITY)
  },
}
