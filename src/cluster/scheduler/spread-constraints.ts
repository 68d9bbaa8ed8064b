// topologySpreadConstraints as the PodTopologySpread plugin reads them: the selector (with
// matchLabelKeys folded in from the pod's own labels), the node inclusion policies (nodeAffinityPolicy
// Honor and nodeTaintsPolicy Ignore by default), and per-domain counts of matching pods. Domains are
// the values of the constraint's topologyKey on the nodes that carry every constraint's key.
import type {Pod, TopologySpreadConstraint} from 'kubernetes-types/core/v1.js'
import {matchesLabels, type LabelSelector} from '../api/label-selector.js'
import {podMatchesNodeSelectorAndAffinity} from './node-selector.js'
import {safeSelector} from './pod-info.js'
import {findUntoleratedTaint} from './tolerations.js'
import type {NodeInfo, PodInfo} from './types.js'

export const LABEL_HOSTNAME = 'kubernetes.io/hostname'

export interface SpreadConstraint {
  maxSkew: number
  topologyKey: string
  selector: LabelSelector
  minDomains: number
  honorNodeAffinity: boolean
  honorTaints: boolean
}

export function spreadConstraints(pod: Pod, when: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const labels = pod.metadata?.labels ?? {}
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c: TopologySpreadConstraint) => c.whenUnsatisfiable === when)
    .map((c) => {
      const extra = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(labels, k)).map((key) => ({key, operator: 'In', values: [labels[key]]}))
      const spec = c.labelSelector && extra.length > 0 ? {matchLabels: c.labelSelector.matchLabels, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra]} : c.labelSelector
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector: safeSelector(spec),
        minDomains: c.minDomains ?? 1,
        honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: c.nodeTaintsPolicy === 'Honor',
      }
    })
}

export function nodeHasAllKeys(node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => Object.hasOwn(node.labels, c.topologyKey))
}

/** Whether the node's pods count toward this constraint's domains for this pod (matchNodeInclusionPolicies). */
export function nodeIncluded(pod: PodInfo, node: NodeInfo, c: SpreadConstraint): boolean {
  if (c.honorNodeAffinity && !podMatchesNodeSelectorAndAffinity(pod.pod, node)) return false
  if (c.honorTaints && findUntoleratedTaint(node.taints, pod.pod.spec?.tolerations ?? [], ['NoSchedule', 'NoExecute'])) return false
  return true
}

/** Pods on the node in the pod's namespace that the selector matches; terminating pods do not count. */
export function matchingPodsOnNode(node: NodeInfo, selector: LabelSelector, namespace: string): number {
  let n = 0
  for (const p of node.pods.values()) if (!p.terminating && p.namespace === namespace && matchesLabels(selector, p.labels)) n++
  return n
}
