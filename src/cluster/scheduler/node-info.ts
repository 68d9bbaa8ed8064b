// NodeInfo: a node with what is already placed on it. Requests are added and removed incrementally
// as pods come and go, so a scheduling decision never walks a node's pods to know what is free.
//
// Readiness: kube-scheduler has no readiness check of its own. The node lifecycle controller turns
// conditions into NoSchedule taints (TaintNodesByCondition) and the TaintToleration filter does the
// rest, so a NotReady node still takes pods that tolerate `node.kubernetes.io/not-ready`. The same
// taints are derived here from the conditions, so the rule holds whether or not that controller has
// caught up (or runs at all); a taint already on the node is not added twice.
import type {Node, NodeCondition, Taint} from 'kubernetes-types/core/v1.js'
import {addAmounts, emptyAmounts, nodeAllocatable} from './resource-requests.js'
import type {NodeInfo, PodInfo} from './types.js'

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready'
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable'

/** Condition → taint, as the node lifecycle controller's nodeConditionToTaintKeyStatusMap. */
const CONDITION_TAINTS: Array<{type: string; status: string; key: string}> = [
  {type: 'Ready', status: 'False', key: TAINT_NOT_READY},
  {type: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE},
  {type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure'},
  {type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure'},
  {type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure'},
  {type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable'},
]

/** spec.taints plus the NoSchedule taints implied by the node's conditions. */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...(node.spec?.taints ?? [])]
  const conditions: NodeCondition[] = node.status?.conditions ?? []
  // A node that never reported Ready is treated as Unknown, as the lifecycle controller does after its grace period.
  const ready = conditions.find((c) => c.type === 'Ready')
  const observed = ready ? conditions : [...conditions, {type: 'Ready', status: 'Unknown'}]
  for (const rule of CONDITION_TAINTS) {
    if (!observed.some((c) => c.type === rule.type && c.status === rule.status)) continue
    if (taints.some((t) => t.key === rule.key && t.effect === 'NoSchedule')) continue
    taints.push({key: rule.key, effect: 'NoSchedule'})
  }
  return taints
}

export function emptyNodeInfo(name: string): NodeInfo {
  return {
    name,
    labels: {},
    taints: [],
    unschedulable: false,
    allocatable: {...emptyAmounts(), pods: 0},
    requested: emptyAmounts(),
    nonZeroRequested: {milliCpu: 0, memory: 0},
    pods: new Map(),
  }
}

/** Sets (or replaces) the Node object of a NodeInfo, keeping its pods and their requests. */
export function setNode(info: NodeInfo, node: Node): void {
  info.node = node
  info.labels = node.metadata?.labels ?? {}
  info.taints = effectiveTaints(node)
  info.unschedulable = Boolean(node.spec?.unschedulable)
  info.allocatable = nodeAllocatable(node)
}

export function clearNode(info: NodeInfo): void {
  delete info.node
  info.labels = {}
  info.taints = []
  info.unschedulable = false
  info.allocatable = {...emptyAmounts(), pods: 0}
}

export function addPod(info: NodeInfo, pod: PodInfo): void {
  if (info.pods.has(pod.key)) removePod(info, pod.key)
  info.pods.set(pod.key, pod)
  addAmounts(info.requested, pod.requests)
  info.nonZeroRequested.milliCpu += pod.nonZero.milliCpu
  info.nonZeroRequested.memory += pod.nonZero.memory
}

export function removePod(info: NodeInfo, key: string): PodInfo | undefined {
  const pod = info.pods.get(key)
  if (!pod) return undefined
  info.pods.delete(key)
  addAmounts(info.requested, pod.requests, -1)
  info.nonZeroRequested.milliCpu -= pod.nonZero.milliCpu
  info.nonZeroRequested.memory -= pod.nonZero.memory
  return pod
}

/** A NodeInfo for tests and one-off evaluations: the node with the given pods placed on it. */
export function nodeInfoOf(node: Node, pods: readonly PodInfo[] = []): NodeInfo {
  const info = emptyNodeInfo(node.metadata?.name ?? '')
  setNode(info, node)
  for (const p of pods) addPod(info, p)
  return info
}
