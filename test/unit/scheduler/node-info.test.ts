import {describe, expect, it} from 'vitest'
import {addPod, effectiveTaints, nodeInfoOf, removePod} from '../../../src/cluster/scheduler/node-info.js'
import {makeNode, podInfo} from './fixtures.js'

describe('effectiveTaints', () => {
  it('adds the not-ready NoSchedule taint to a node whose Ready condition is False', () => {
    expect(effectiveTaints(makeNode('n', {ready: 'False'}))).toEqual([{key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule'}])
  })

  it('adds the unreachable taint for Ready Unknown and for a node that never reported Ready', () => {
    for (const ready of ['Unknown', 'absent'] as const) {
      expect(effectiveTaints(makeNode('n', {ready}))).toEqual([{key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule'}])
    }
  })

  it('adds nothing to a Ready node and never duplicates a taint the lifecycle controller already set', () => {
    expect(effectiveTaints(makeNode('n'))).toEqual([])
    const tainted = makeNode('n', {ready: 'False', taints: [{key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule'}]})
    expect(effectiveTaints(tainted)).toHaveLength(1)
  })

  it('turns pressure conditions into their taints', () => {
    const node = makeNode('n')
    node.status!.conditions!.push({type: 'MemoryPressure', status: 'True'})
    expect(effectiveTaints(node).map((t) => t.key)).toEqual(['node.kubernetes.io/memory-pressure'])
  })
})

describe('NodeInfo requests', () => {
  it('adds and removes pod requests incrementally', () => {
    const info = nodeInfoOf(makeNode('n'))
    addPod(info, podInfo('a', {cpu: '500m', memory: '1Gi'}))
    addPod(info, podInfo('b', {cpu: '250m'}))
    expect(info.requested).toMatchObject({milliCpu: 750, memory: 2 ** 30})
    expect(info.nonZeroRequested.memory).toBe(2 ** 30 + 200 * 2 ** 20)
    removePod(info, 'default/a')
    expect(info.requested).toMatchObject({milliCpu: 250, memory: 0})
    expect(info.pods.size).toBe(1)
  })

  it('replaces a pod added twice instead of counting it twice', () => {
    const info = nodeInfoOf(makeNode('n'))
    addPod(info, podInfo('a', {cpu: '500m'}))
    addPod(info, podInfo('a', {cpu: '500m'}))
    expect(info.requested.milliCpu).toBe(500)
  })
})
