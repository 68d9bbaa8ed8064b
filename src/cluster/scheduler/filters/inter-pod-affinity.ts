// The InterPodAffinity filter, in upstream's three checks: pods already placed whose required
// anti-affinity matches the incoming pod keep it out of their topology domain; the incoming pod's
// required affinity needs a matching pod in the node's domain (unless no pod matches anywhere and
// the pod matches its own terms: the first of a group); its required anti-affinity forbids domains
// that hold a matching pod. Domains are node label values of the term's topologyKey
// (`kubernetes.io/hostname` or any other label); a node without the label is in no domain.
import {termMatchesPod} from '../pod-info.js'
import type {AffinityTerm, ClusterView, FilterPlugin, NodeInfo, PodInfo} from '../types.js'
import {FIT, rejected, unresolvable} from '../types.js'

export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
export const REASON_AFFINITY = "node(s) didn't match pod affinity rules"
export const REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"

type Counts = Map<string, number>

interface InterPodAffinityState {
  existingAnti: Counts
  affinity: Counts
  anti: Counts
  matchesOwnAffinity: boolean
}

const pair = (key: string, value: string) => `${key}\u0000${value}`

function bump(counts: Counts, term: AffinityTerm, node: NodeInfo): void {
  if (!Object.hasOwn(node.labels, term.topologyKey)) return
  const k = pair(term.topologyKey, node.labels[term.topologyKey])
  counts.set(k, (counts.get(k) ?? 0) + 1)
}

function countAt(counts: Counts, term: AffinityTerm, node: NodeInfo): number | undefined {
  if (!Object.hasOwn(node.labels, term.topologyKey)) return undefined
  return counts.get(pair(term.topologyKey, node.labels[term.topologyKey])) ?? 0
}

function prepare(pod: PodInfo, cluster: ClusterView): InterPodAffinityState | undefined {
  const ns = (name: string) => cluster.namespaceLabels(name)
  const state: InterPodAffinityState = {existingAnti: new Map(), affinity: new Map(), anti: new Map(), matchesOwnAffinity: false}
  for (const existing of cluster.podsWithRequiredAntiAffinity) {
    const node = existing.nodeName === undefined ? undefined : cluster.nodeInfo(existing.nodeName)
    if (!node?.node || existing.key === pod.key) continue
    for (const term of existing.affinity.requiredAntiAffinity) if (termMatchesPod(term, pod, ns)) bump(state.existingAnti, term, node)
  }
  const {requiredAffinity, requiredAntiAffinity} = pod.affinity
  if (requiredAffinity.length + requiredAntiAffinity.length > 0) {
    state.matchesOwnAffinity = requiredAffinity.every((t) => termMatchesPod(t, pod, ns))
    for (const node of cluster.nodes) {
      for (const existing of node.pods.values()) {
        if (existing.key === pod.key) continue
        // An existing pod counts toward affinity only when it matches all of the terms.
        if (requiredAffinity.length > 0 && requiredAffinity.every((t) => termMatchesPod(t, existing, ns))) for (const t of requiredAffinity) bump(state.affinity, t, node)
        for (const t of requiredAntiAffinity) if (termMatchesPod(t, existing, ns)) bump(state.anti, t, node)
      }
    }
  } else if (state.existingAnti.size === 0) {
    return undefined
  }
  return state
}

export const interPodAffinity: FilterPlugin<InterPodAffinityState | undefined> = {
  name: 'InterPodAffinity',
  prepare,
  filter(pod, nodeInfo, state) {
    if (!state) return FIT
    for (const [key, value] of Object.entries(nodeInfo.labels)) {
      if ((state.existingAnti.get(pair(key, value)) ?? 0) > 0) return rejected(REASON_EXISTING_ANTI_AFFINITY)
    }
    const required = pod.affinity.requiredAffinity
    if (required.length > 0) {
      const counts = required.map((t) => countAt(state.affinity, t, nodeInfo))
      // Every term's topology label must exist on the node.
      if (counts.some((c) => c === undefined)) return unresolvable(REASON_AFFINITY)
      const satisfied = counts.every((c) => c! > 0)
      // The first pod of a group that selects itself: nothing matches anywhere yet, so it may start the group.
      const firstOfGroup = state.affinity.size === 0 && state.matchesOwnAffinity
      if (!satisfied && !firstOfGroup) return unresolvable(REASON_AFFINITY)
    }
    for (const t of pod.affinity.requiredAntiAffinity) {
      if ((countAt(state.anti, t, nodeInfo) ?? 0) > 0) return rejected(REASON_ANTI_AFFINITY)
    }
    return FIT
  },
}
