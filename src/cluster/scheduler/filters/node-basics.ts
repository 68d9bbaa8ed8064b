// The NodeUnschedulable and NodeName filters: a cordoned node takes only pods tolerating the
// unschedulable taint; a pod that names a node fits only that node.
import type {FilterPlugin} from '../types.js'
import {FIT, unresolvable} from '../types.js'
import {isTaintTolerated} from '../tolerations.js'

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable'
export const REASON_NODE_NAME = "node(s) didn't match the requested node name"

const UNSCHEDULABLE_TAINT = {key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule'}

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, nodeInfo) {
    if (!nodeInfo.unschedulable) return FIT
    return isTaintTolerated(UNSCHEDULABLE_TAINT, pod.pod.spec?.tolerations ?? []) ? FIT : unresolvable(REASON_UNSCHEDULABLE)
  },
}

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(pod, nodeInfo) {
    const wanted = pod.pod.spec?.nodeName
    return !wanted || wanted === nodeInfo.name ? FIT : unresolvable(REASON_NODE_NAME)
  },
}
