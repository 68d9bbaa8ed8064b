// InterPodAffinity scoring: each placed pod that the incoming pod's preferred (anti-)affinity terms
// match adds (subtracts) the term's weight to its topology domain, and symmetrically placed pods'
// preferred terms (and required affinity, at weight 1) that match the incoming pod do the same.
// A node scores the sum over the domains it belongs to, min-max scaled to 0-100.
import {termMatchesPod} from '../pod-info.js'
import type {AffinityTerm, ClusterView, NodeInfo, PodInfo, ScorePlugin} from '../types.js'
import {minMaxNormalize} from './normalize.js'

/** kube-scheduler's hardPodAffinityWeight default. */
const HARD_POD_AFFINITY_WEIGHT = 1

/** topologyKey → value → score */
type TopologyScore = Map<string, Map<string, number>>

function add(scores: TopologyScore, term: AffinityTerm, node: NodeInfo, weight: number): void {
  if (!Object.hasOwn(node.labels, term.topologyKey)) return
  let byValue = scores.get(term.topologyKey)
  if (!byValue) scores.set(term.topologyKey, (byValue = new Map()))
  const value = node.labels[term.topologyKey]
  byValue.set(value, (byValue.get(value) ?? 0) + weight)
}

function processExisting(scores: TopologyScore, pod: PodInfo, existing: PodInfo, node: NodeInfo, cluster: ClusterView): void {
  const ns = (name: string) => cluster.namespaceLabels(name)
  for (const t of pod.affinity.preferredAffinity) if (termMatchesPod(t, existing, ns)) add(scores, t, node, t.weight)
  for (const t of pod.affinity.preferredAntiAffinity) if (termMatchesPod(t, existing, ns)) add(scores, t, node, -t.weight)
  for (const t of existing.affinity.requiredAffinity) if (termMatchesPod(t, pod, ns)) add(scores, t, node, HARD_POD_AFFINITY_WEIGHT)
  for (const t of existing.affinity.preferredAffinity) if (termMatchesPod(t, pod, ns)) add(scores, t, node, t.weight)
  for (const t of existing.affinity.preferredAntiAffinity) if (termMatchesPod(t, pod, ns)) add(scores, t, node, -t.weight)
}

export const interPodAffinityScore: ScorePlugin<TopologyScore> = {
  name: 'InterPodAffinity',
  weight: 2,
  prepare(pod, _feasible, cluster) {
    const scores: TopologyScore = new Map()
    const ownPreferences = pod.affinity.preferredAffinity.length + pod.affinity.preferredAntiAffinity.length > 0
    // Without preferences of its own, only placed pods with affinity terms can affect the pod.
    if (ownPreferences) {
      for (const node of cluster.nodes) for (const existing of node.pods.values()) if (existing.key !== pod.key) processExisting(scores, pod, existing, node, cluster)
    } else {
      for (const existing of cluster.podsWithAffinity) {
        const node = existing.nodeName === undefined ? undefined : cluster.nodeInfo(existing.nodeName)
        if (node?.node && existing.key !== pod.key) processExisting(scores, pod, existing, node, cluster)
      }
    }
    return scores.size > 0 ? scores : undefined
  },
  score(_pod, node, scores) {
    let total = 0
    for (const [key, byValue] of scores) if (Object.hasOwn(node.labels, key)) total += byValue.get(node.labels[key]) ?? 0
    return total
  },
  normalize: (scores) => minMaxNormalize(scores),
}
