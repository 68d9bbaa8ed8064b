// The NodeResourcesFit filter: the pod's requests must fit in allocatable minus what the pods already
// on the node (including ones assumed but not yet bound) request, and the node's pod count must have
// room. Every shortage is reported, as upstream (`Insufficient cpu`, `Insufficient memory`).
import type {FilterPlugin} from '../types.js'
import {FIT, rejected} from '../types.js'

export const REASON_TOO_MANY_PODS = 'Too many pods'

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod, nodeInfo) {
    const reasons: string[] = []
    const {allocatable, requested} = nodeInfo
    if (nodeInfo.pods.size + 1 > allocatable.pods) reasons.push(REASON_TOO_MANY_PODS)
    const want = pod.requests
    if (want.milliCpu > 0 && want.milliCpu > allocatable.milliCpu - requested.milliCpu) reasons.push('Insufficient cpu')
    if (want.memory > 0 && want.memory > allocatable.memory - requested.memory) reasons.push('Insufficient memory')
    if (want.ephemeralStorage > 0 && want.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) reasons.push('Insufficient ephemeral-storage')
    for (const [name, amount] of Object.entries(want.scalars)) {
      if (amount > 0 && amount > (allocatable.scalars[name] ?? 0) - (requested.scalars[name] ?? 0)) reasons.push(`Insufficient ${name}`)
    }
    return reasons.length === 0 ? FIT : rejected(...reasons)
  },
}
