import {describe, expect, it} from 'vitest'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {SchedulerCache} from '../../../src/cluster/scheduler/scheduler-cache.js'
import {buildPodInfo} from '../../../src/cluster/scheduler/pod-info.js'
import {makeNode, makePod} from './fixtures.js'

function cacheWithLog() {
  const log = {pending: [] as string[], gone: [] as string[], changes: 0}
  const cache = new SchedulerCache('default-scheduler', {
    pending: (key, changed) => log.pending.push(`${key}${changed ? '' : ' (unchanged)'}`),
    pendingGone: (key) => log.gone.push(key),
    clusterChanged: () => log.changes++,
  })
  return {cache, log}
}

const bound = (pod: Pod, node: string): Pod => ({...pod, spec: {...pod.spec!, nodeName: node}})

describe('SchedulerCache', () => {
  it('tracks pending pods for its scheduler only, ungated and not being deleted', () => {
    const {cache, log} = cacheWithLog()
    cache.upsertPod(makePod('mine'))
    cache.upsertPod(makePod('other', {spec: {schedulerName: 'other-scheduler'}}))
    cache.upsertPod(makePod('gated', {spec: {schedulingGates: [{name: 'wait'}]}}))
    cache.upsertPod(makePod('going', {deleting: true}))
    expect(log.pending).toEqual(['default/mine'])
    expect(cache.pendingCount).toBe(1)
  })

  it('tells a status-only update of a pending pod apart from a spec change', () => {
    const {cache, log} = cacheWithLog()
    const pod = makePod('p')
    cache.upsertPod(pod)
    cache.upsertPod({...pod, status: {conditions: [{type: 'PodScheduled', status: 'False'}]}})
    cache.upsertPod({...pod, metadata: {...pod.metadata, labels: {tier: 'x'}}})
    expect(log.pending).toEqual(['default/p', 'default/p (unchanged)', 'default/p'])
  })

  it('reports a pending pod that was bound or deleted as gone', () => {
    const {cache, log} = cacheWithLog()
    cache.upsertPod(makePod('a'))
    cache.upsertPod(makePod('b'))
    cache.upsertPod(bound(makePod('a'), 'n1'))
    cache.deletePod(makePod('b'))
    cache.deletePod(makePod('never-pending', {spec: {schedulerName: 'other'}}))
    expect(log.gone).toEqual(['default/a', 'default/b'])
  })

  it('counts bound pods on their node and frees them when they finish or go away', () => {
    const {cache} = cacheWithLog()
    cache.upsertNode(makeNode('n1'))
    const a = bound(makePod('a', {cpu: '1'}), 'n1')
    cache.upsertPod(a)
    cache.upsertPod(bound(makePod('b', {cpu: '1'}), 'n1'))
    expect(cache.nodeInfo('n1')!.requested.milliCpu).toBe(2000)
    cache.upsertPod({...a, status: {phase: 'Succeeded'}})
    expect(cache.nodeInfo('n1')!.requested.milliCpu).toBe(1000)
    cache.deletePod(bound(makePod('b'), 'n1'))
    expect(cache.nodeInfo('n1')!.pods.size).toBe(0)
  })

  it('keeps an assumed pod on its node until the binding shows up, and forgets it on failure', () => {
    const {cache} = cacheWithLog()
    cache.upsertNode(makeNode('n1'))
    const pod = makePod('p', {cpu: '1'})
    cache.upsertPod(pod)
    cache.assume(buildPodInfo(pod), 'n1')
    expect(cache.pendingPod('default/p')).toBeUndefined()
    // A stale event from before the binding must not undo the assumption.
    cache.upsertPod(pod)
    expect(cache.nodeInfo('n1')!.requested.milliCpu).toBe(1000)
    expect(cache.isAssumed('default/p')).toBe(true)
    cache.forget('default/p')
    expect(cache.nodeInfo('n1')!.requested.milliCpu).toBe(0)
    cache.upsertPod(pod)
    cache.assume(buildPodInfo(pod), 'n1')
    cache.upsertPod(bound(pod, 'n1'))
    expect(cache.isAssumed('default/p')).toBe(false)
    expect(cache.nodeInfo('n1')!.requested.milliCpu).toBe(1000)
  })

  it('ignores node updates that only refresh heartbeats', () => {
    const {cache, log} = cacheWithLog()
    const node = makeNode('n1')
    cache.upsertNode(node)
    const changes = log.changes
    cache.upsertNode({...node, status: {...node.status, conditions: [{type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:01:00Z'}]}})
    expect(log.changes).toBe(changes)
    cache.upsertNode({...node, metadata: {...node.metadata, labels: {disk: 'ssd'}}})
    expect(log.changes).toBe(changes + 1)
  })

  it('lists only nodes that exist, sorted by name, while remembering pods bound to a missing node', () => {
    const {cache} = cacheWithLog()
    cache.upsertNode(makeNode('b'))
    cache.upsertNode(makeNode('a'))
    cache.upsertPod(bound(makePod('p', {cpu: '1'}), 'c'))
    expect(cache.nodes.map((n) => n.name)).toEqual(['a', 'b'])
    cache.upsertNode(makeNode('c'))
    expect(cache.nodeInfo('c')!.requested.milliCpu).toBe(1000)
    cache.replaceNodes([makeNode('a')])
    expect(cache.nodes.map((n) => n.name)).toEqual(['a'])
  })
})
