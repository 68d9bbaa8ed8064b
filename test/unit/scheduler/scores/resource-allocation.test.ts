import {describe, expect, it} from 'vitest'
import {balancedAllocationScore, leastAllocatedScore} from '../../../../src/cluster/scheduler/scores/resource-allocation.js'
import {makeNode, makePod, nodeWith, podInfo} from '../fixtures.js'

describe('LeastAllocated score', () => {
  it('averages the free share of cpu and memory after placing the pod', () => {
    const node = nodeWith(makeNode('n', {cpu: '4', memory: '4Gi'}), [makePod('a', {cpu: '1', memory: '1Gi'})])
    // cpu: (4000 - 2000) / 4000 = 50; memory: (4Gi - 2Gi) / 4Gi = 50
    expect(leastAllocatedScore(podInfo('p', {cpu: '1', memory: '1Gi'}), node)).toBe(50)
  })

  it('counts pods without requests at the default 100m / 200Mi so that they spread', () => {
    const empty = nodeWith(makeNode('n1', {cpu: '1', memory: '1000Mi'}))
    const busy = nodeWith(makeNode('n2', {cpu: '1', memory: '1000Mi'}), [makePod('a')])
    const pod = podInfo('p')
    expect(leastAllocatedScore(pod, empty)).toBe(85) // cpu 90, memory 80
    expect(leastAllocatedScore(pod, busy)).toBe(70) // cpu 80, memory 60
  })

  it('scores 0 for a resource the pod would overcommit', () => {
    expect(leastAllocatedScore(podInfo('p', {cpu: '8', memory: '1Gi'}), nodeWith(makeNode('n', {cpu: '4', memory: '2Gi'})))).toBe(25)
  })
})

describe('BalancedAllocation score', () => {
  it('prefers nodes where cpu and memory would be used in equal shares', () => {
    const node = nodeWith(makeNode('n', {cpu: '4', memory: '4Gi'}))
    expect(balancedAllocationScore(podInfo('p', {cpu: '2', memory: '2Gi'}), node)).toBe(100)
    // shares 0.5 and 0: standard deviation 0.25
    expect(balancedAllocationScore(podInfo('p', {cpu: '2'}), node)).toBe(75)
  })
})
