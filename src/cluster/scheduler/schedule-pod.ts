// One scheduling cycle for one pod, synchronous over the cache: PreFilter, Filter in the default
// profile's order (the first failing filter decides a node's reason), then Score with the default
// weights. The highest total wins; ties go to the node with fewest pods, then by name, so equal nodes
// fill evenly and the outcome is reproducible.
import {nodeAffinity} from './filters/node-affinity.js'
import {nodeName, nodeUnschedulable} from './filters/node-basics.js'
import {nodeResourcesFit} from './filters/node-resources-fit.js'
import {interPodAffinity} from './filters/inter-pod-affinity.js'
import {podTopologySpread} from './filters/pod-topology-spread.js'
import {taintToleration} from './filters/taint-toleration.js'
import {fitErrorMessage, NO_NODES_AVAILABLE, type NodeFailure} from './fit-error.js'
import {interPodAffinityScore} from './scores/inter-pod-affinity-score.js'
import {nodeAffinityScore} from './scores/node-affinity-score.js'
import {balancedAllocation, leastAllocated} from './scores/resource-allocation.js'
import {taintTolerationScore} from './scores/taint-toleration-score.js'
import {topologySpreadScore} from './scores/topology-spread-score.js'
import type {ClusterView, FilterPlugin, FilterResult, NodeInfo, PodInfo, ScorePlugin} from './types.js'
import {unresolvable} from './types.js'

export const DEFAULT_FILTERS: readonly FilterPlugin<any>[] = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodeResourcesFit, podTopologySpread, interPodAffinity]

export const DEFAULT_SCORES: readonly ScorePlugin<any>[] = [taintTolerationScore, nodeAffinityScore, leastAllocated, topologySpreadScore, interPodAffinityScore, balancedAllocation]

export type ScheduleResult =
  | {outcome: 'scheduled'; node: string; feasibleNodes: number}
  /** reason is the PodScheduled condition's: Unschedulable, or SchedulerError when there are no nodes at all. */
  | {outcome: 'unschedulable'; reason: 'Unschedulable' | 'SchedulerError'; message: string; failures: Map<string, NodeFailure>}

export interface ScheduleOptions {
  filters?: readonly FilterPlugin<any>[]
  scores?: readonly ScorePlugin<any>[]
}

export function findFeasibleNodes(pod: PodInfo, cluster: ClusterView, filters: readonly FilterPlugin<any>[] = DEFAULT_FILTERS): {feasible: NodeInfo[]; failures: Map<string, NodeFailure>} {
  const states = filters.map((f) => f.prepare?.(pod, cluster))
  // PreFilter results that narrow the candidates: nodes outside them are not evaluated.
  const restricting = filters.flatMap((f, i) => {
    const names = f.eligibleNodes?.(states[i])
    return names ? [{plugin: f.name, names}] : []
  })
  const outside: FilterResult | undefined = restricting.length > 0 ? unresolvable(`node(s) didn't satisfy plugin(s) [${restricting.map((r) => r.plugin).sort().join(' ')}]`) : undefined
  const feasible: NodeInfo[] = []
  const failures = new Map<string, NodeFailure>()
  for (const node of cluster.nodes) {
    let result: FilterResult | undefined = outside && !restricting.every((r) => r.names.has(node.name)) ? outside : undefined
    for (let i = 0; !result && i < filters.length; i++) {
      const r = filters[i].filter(pod, node, states[i])
      if (!r.ok) result = r
    }
    if (result && !result.ok) failures.set(node.name, {reasons: result.reasons, unresolvable: result.unresolvable})
    else feasible.push(node)
  }
  return {feasible, failures}
}

export function scoreNodes(pod: PodInfo, feasible: readonly NodeInfo[], cluster: ClusterView, scores: readonly ScorePlugin<any>[] = DEFAULT_SCORES): number[] {
  const totals = new Array<number>(feasible.length).fill(0)
  for (const plugin of scores) {
    const state = plugin.prepare ? plugin.prepare(pod, feasible, cluster) : null
    if (state === undefined) continue
    const raw = feasible.map((node) => plugin.score(pod, node, state))
    plugin.normalize?.(raw, state)
    for (let i = 0; i < raw.length; i++) totals[i] += raw[i] * plugin.weight
  }
  return totals
}

/** Highest score; ties to the node with fewest pods, then the smaller name. */
export function selectHost(feasible: readonly NodeInfo[], totals: readonly number[]): NodeInfo {
  let best = 0
  for (let i = 1; i < feasible.length; i++) {
    const [a, b] = [feasible[i], feasible[best]]
    if (totals[i] !== totals[best]) {
      if (totals[i] > totals[best]) best = i
    } else if (a.pods.size !== b.pods.size) {
      if (a.pods.size < b.pods.size) best = i
    } else if (a.name < b.name) {
      best = i
    }
  }
  return feasible[best]
}

export function schedulePod(pod: PodInfo, cluster: ClusterView, opts: ScheduleOptions = {}): ScheduleResult {
  if (cluster.nodes.length === 0) return {outcome: 'unschedulable', reason: 'SchedulerError', message: NO_NODES_AVAILABLE, failures: new Map()}
  const {feasible, failures} = findFeasibleNodes(pod, cluster, opts.filters)
  if (feasible.length === 0) {
    const message = fitErrorMessage(cluster.nodes.length, [...failures.values()], pod.pod.spec?.preemptionPolicy)
    return {outcome: 'unschedulable', reason: 'Unschedulable', message, failures}
  }
  if (feasible.length === 1) return {outcome: 'scheduled', node: feasible[0].name, feasibleNodes: 1}
  const totals = scoreNodes(pod, feasible, cluster, opts.scores)
  return {outcome: 'scheduled', node: selectHost(feasible, totals).name, feasibleNodes: feasible.length}
}
