import {describe, expect, it} from 'vitest'
import {nodeName, nodeUnschedulable} from '../../../../src/cluster/scheduler/filters/node-basics.js'
import {nodeWith, makeNode, podInfo} from '../fixtures.js'

describe('NodeUnschedulable filter', () => {
  it('rejects a cordoned node as unresolvable', () => {
    expect(nodeUnschedulable.filter(podInfo('p'), nodeWith(makeNode('n', {unschedulable: true})), undefined)).toEqual({
      ok: false,
      reasons: ['node(s) were unschedulable'],
      unresolvable: true,
    })
  })

  it('admits a pod tolerating the unschedulable taint, and any pod on a schedulable node', () => {
    const tolerant = podInfo('p', {spec: {tolerations: [{key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule'}]}})
    expect(nodeUnschedulable.filter(tolerant, nodeWith(makeNode('n', {unschedulable: true})), undefined).ok).toBe(true)
    expect(nodeUnschedulable.filter(podInfo('p'), nodeWith(makeNode('n')), undefined).ok).toBe(true)
  })
})

describe('NodeName filter', () => {
  it('fits only the node the pod names', () => {
    const pinned = podInfo('p', {spec: {nodeName: 'n1'}})
    expect(nodeName.filter(pinned, nodeWith(makeNode('n1')), undefined).ok).toBe(true)
    expect(nodeName.filter(pinned, nodeWith(makeNode('n2')), undefined)).toMatchObject({ok: false, reasons: ["node(s) didn't match the requested node name"]})
    expect(nodeName.filter(podInfo('p'), nodeWith(makeNode('n2')), undefined).ok).toBe(true)
  })
})
