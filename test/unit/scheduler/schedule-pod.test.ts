import {describe, expect, it} from 'vitest'
import {addPod} from '../../../src/cluster/scheduler/node-info.js'
import {schedulePod} from '../../../src/cluster/scheduler/schedule-pod.js'
import {clusterOf, makeNode, nodeWith, podInfo} from './fixtures.js'

describe('schedulePod', () => {
  it('spreads identical pods evenly over identical nodes', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1')), nodeWith(makeNode('n2')), nodeWith(makeNode('n3'))])
    const placed: string[] = []
    for (let i = 0; i < 6; i++) {
      const pod = podInfo(`p${i}`)
      const result = schedulePod(pod, cluster)
      if (result.outcome !== 'scheduled') throw new Error(result.message)
      addPod(cluster.nodeInfo(result.node)!, {...pod, nodeName: result.node})
      placed.push(result.node)
    }
    expect(placed.sort()).toEqual(['n1', 'n1', 'n2', 'n2', 'n3', 'n3'])
  })

  it('prefers the node with more room', () => {
    const cluster = clusterOf([nodeWith(makeNode('small', {cpu: '2'})), nodeWith(makeNode('big', {cpu: '16'}))])
    expect(schedulePod(podInfo('p', {cpu: '1'}), cluster)).toMatchObject({outcome: 'scheduled', node: 'big'})
  })

  it('reports why every node was rejected, with kube-scheduler message', () => {
    const cluster = clusterOf([
      nodeWith(makeNode('n1', {cpu: '1'})),
      nodeWith(makeNode('n2', {taints: [{key: 'x', value: 'y', effect: 'NoSchedule'}]})),
      nodeWith(makeNode('n3', {taints: [{key: 'x', value: 'y', effect: 'NoSchedule'}]})),
    ])
    const result = schedulePod(podInfo('p', {cpu: '2'}), cluster)
    expect(result).toMatchObject({
      outcome: 'unschedulable',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {x: y}. ' +
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    })
  })

  it('reports nodes a PreFilter excluded as not satisfying the plugin', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1', {cpu: '1'})), nodeWith(makeNode('n2'))])
    const pod = podInfo('p', {
      cpu: '2',
      spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['n1']}]}]}}}},
    })
    expect(schedulePod(pod, cluster)).toMatchObject({
      message:
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    })
  })

  it('fails with SchedulerError when there are no nodes at all', () => {
    expect(schedulePod(podInfo('p'), clusterOf([]))).toMatchObject({outcome: 'unschedulable', reason: 'SchedulerError', message: 'no nodes available to schedule pods'})
  })

  it('honours a preferred node affinity over resource balance', () => {
    const cluster = clusterOf([nodeWith(makeNode('roomy', {cpu: '64'})), nodeWith(makeNode('ssd', {cpu: '2', labels: {disk: 'ssd'}}))])
    const pod = podInfo('p', {
      spec: {affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: 'disk', operator: 'Exists'}]}}]}}},
    })
    expect(schedulePod(pod, cluster)).toMatchObject({node: 'ssd'})
  })
})
