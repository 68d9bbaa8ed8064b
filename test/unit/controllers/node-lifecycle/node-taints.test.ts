import type {Node, NodeCondition, Taint} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {desiredControllerTaints, planNodeTaints} from '../../../../src/cluster/controllers/node-lifecycle/node-taints.js'

const NOW = new Date('2026-01-01T00:01:00.400Z')
const STAMP = '2026-01-01T00:01:00Z'
const cond = (type: string, status: string): NodeCondition => ({type, status})
const node = (conditions: NodeCondition[], taints?: Taint[], unschedulable?: boolean): Node => ({metadata: {name: 'n'}, spec: {taints, unschedulable}, status: {conditions}})
const ids = (taints: Taint[] | undefined) => (taints ?? []).map((t) => `${t.key}:${t.effect}`)

describe('planNodeTaints', () => {
  it('taints an Unknown node unreachable for NoSchedule and NoExecute, stamping timeAdded', () => {
    expect(planNodeTaints(node([cond('Ready', 'Unknown')]), NOW)).toEqual([
      {key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: STAMP},
      {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: STAMP},
    ])
  })

  it('swaps unreachable for not-ready when Ready turns False', () => {
    const before = planNodeTaints(node([cond('Ready', 'Unknown')]), NOW)
    expect(ids(planNodeTaints(node([cond('Ready', 'False')], before), NOW))).toEqual(['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'])
  })

  it('removes the controller taints of a Ready node and keeps everyone else\'s', () => {
    const own: Taint = {key: 'dedicated', value: 'gpu', effect: 'NoExecute'}
    const taints = [own, {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: STAMP}, {key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule'}]
    expect(planNodeTaints(node([cond('Ready', 'True')], taints), NOW)).toEqual([own])
  })

  it('keeps an existing taint and its timeAdded, so the eviction countdown does not restart', () => {
    const taints = [
      {key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:41Z'},
      {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:41Z'},
    ]
    expect(planNodeTaints(node([cond('Ready', 'Unknown')], taints), NOW)).toBeUndefined()
  })

  it('mirrors pressure conditions and spec.unschedulable as NoSchedule taints', () => {
    const n = node([cond('Ready', 'True'), cond('MemoryPressure', 'True'), cond('DiskPressure', 'False'), cond('PIDPressure', 'True')], undefined, true)
    expect(ids(planNodeTaints(n, NOW))).toEqual(['node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule'])
  })

  it('leaves NoExecute taints alone on a node that never posted Ready', () => {
    const taints = [{key: 'node.kubernetes.io/not-ready', effect: 'NoExecute'}]
    expect(planNodeTaints(node([], taints), NOW)).toBeUndefined()
    expect(desiredControllerTaints(node([])).noExecute).toBeUndefined()
  })

  it('returns an empty list when the last taint goes', () => {
    expect(planNodeTaints(node([cond('Ready', 'True')], [{key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule'}]), NOW)).toEqual([])
  })
})
