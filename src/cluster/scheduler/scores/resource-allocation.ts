// NodeResourcesFit's default scoring strategy (LeastAllocated) and NodeResourcesBalancedAllocation,
// over cpu and memory with equal weights. LeastAllocated counts containers without requests at
// 100m / 200Mi so that pods with no requests still spread; BalancedAllocation uses real requests.
import type {NodeInfo, PodInfo, ScorePlugin} from '../types.js'
import {MAX_NODE_SCORE} from './normalize.js'

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity)
}

// Both scores run for every feasible node of every pod: plain arithmetic, no allocation.
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const cpuCapacity = node.allocatable.milliCpu
  const memoryCapacity = node.allocatable.memory
  let sum = 0
  let weights = 0
  if (cpuCapacity > 0) {
    sum += leastRequested(node.nonZeroRequested.milliCpu + pod.nonZero.milliCpu, cpuCapacity)
    weights++
  }
  if (memoryCapacity > 0) {
    sum += leastRequested(node.nonZeroRequested.memory + pod.nonZero.memory, memoryCapacity)
    weights++
  }
  return weights === 0 ? 0 : Math.floor(sum / weights)
}

export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const cpuCapacity = node.allocatable.milliCpu
  const memoryCapacity = node.allocatable.memory
  // With one resource (or none) there is nothing to balance; with two the standard deviation is half the gap.
  if (cpuCapacity <= 0 || memoryCapacity <= 0) return cpuCapacity > 0 || memoryCapacity > 0 ? MAX_NODE_SCORE : 0
  const cpu = Math.min(1, (node.requested.milliCpu + pod.requests.milliCpu) / cpuCapacity)
  const memory = Math.min(1, (node.requested.memory + pod.requests.memory) / memoryCapacity)
  return Math.floor((1 - Math.abs(cpu - memory) / 2) * MAX_NODE_SCORE)
}

export const leastAllocated: ScorePlugin = {name: 'NodeResourcesFit', weight: 1, score: leastAllocatedScore}

export const balancedAllocation: ScorePlugin = {name: 'NodeResourcesBalancedAllocation', weight: 1, score: balancedAllocationScore}
