import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {NodePodIndex} from '../../../../src/cluster/controllers/node-lifecycle/node-pod-index.js'
import {disruptionTargetConditions, notReadyConditions} from '../../../../src/cluster/controllers/node-lifecycle/pod-conditions.js'

const pod = (name: string, nodeName?: string, conditions: object[] = []) =>
  ({apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'default'}, spec: {nodeName}, status: {conditions}}) as unknown as KubeObject

describe('NodePodIndex', () => {
  it('lists the pods bound to a node and follows binding and deletion', () => {
    const index = new NodePodIndex()
    index.observe(pod('a'), 'ADDED')
    expect(index.podsOn('n1')).toEqual([])
    expect(index.observe(pod('a', 'n1'), 'MODIFIED')).toBe('n1')
    index.observe(pod('b', 'n1'), 'ADDED')
    index.observe(pod('c', 'n2'), 'ADDED')
    expect(index.podsOn('n1')).toEqual([{namespace: 'default', name: 'a'}, {namespace: 'default', name: 'b'}])
    index.observe(pod('a', 'n1'), 'DELETED')
    expect(index.podsOn('n1')).toEqual([{namespace: 'default', name: 'b'}])
    expect(index.podsOn('n2')).toEqual([{namespace: 'default', name: 'c'}])
  })
})

describe('pod conditions', () => {
  const now = new Date('2026-01-01T00:05:00Z')

  it('turns a Ready pod not ready with a new transition time, and leaves pods without Ready alone', () => {
    const ready = {type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z'}
    const scheduled = {type: 'PodScheduled', status: 'True'}
    expect(notReadyConditions(pod('a', 'n', [scheduled, ready]) as never, now)).toEqual([scheduled, {type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:05:00Z'}])
    expect(notReadyConditions(pod('a', 'n', [{...ready, status: 'False'}]) as never, now)).toBeUndefined()
    expect(notReadyConditions(pod('a', 'n', [scheduled]) as never, now)).toBeUndefined()
  })

  it('adds the DisruptionTarget condition once', () => {
    const added = disruptionTargetConditions(pod('a', 'n') as never, now)!
    expect(added).toEqual([{type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: '2026-01-01T00:05:00Z'}])
    expect(disruptionTargetConditions(pod('a', 'n', added) as never, now)).toBeUndefined()
  })
})
