// The TaintToleration filter: NoSchedule and NoExecute taints need a toleration; PreferNoSchedule
// only lowers the node's score (scores/taint-toleration-score.ts).
import type {FilterPlugin} from '../types.js'
import {FIT, unresolvable} from '../types.js'
import {findUntoleratedTaint} from '../tolerations.js'

const FILTERED_EFFECTS = ['NoSchedule', 'NoExecute']

export function untoleratedTaintReason(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`
}

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod, nodeInfo) {
    const taint = findUntoleratedTaint(nodeInfo.taints, pod.pod.spec?.tolerations ?? [], FILTERED_EFFECTS)
    return taint ? unresolvable(untoleratedTaintReason(taint.key, taint.value)) : FIT
  },
}
