import type {Taint, Toleration} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {planEviction} from '../../../../src/cluster/controllers/node-lifecycle/eviction-plan.js'

const UNREACHABLE: Taint = {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z'}
const T0 = Date.parse('2026-01-01T00:00:00Z')
const addedAt = (t: Taint) => Date.parse(t.timeAdded!)
const tolerate = (key: string | undefined, tolerationSeconds?: number): Toleration => ({key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds})

describe('planEviction', () => {
  it('keeps pods on a node without NoExecute taints', () => {
    expect(planEviction([{key: 'x', effect: 'NoSchedule'}], [], addedAt, T0)).toEqual({action: 'keep'})
  })

  it('evicts at once when a NoExecute taint is not tolerated', () => {
    const dedicated: Taint = {key: 'dedicated', value: 'a', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z'}
    expect(planEviction([UNREACHABLE, dedicated], [tolerate(UNREACHABLE.key, 300)], addedAt, T0)).toEqual({action: 'evict', untolerated: dedicated})
  })

  it('waits until timeAdded plus tolerationSeconds, then evicts', () => {
    expect(planEviction([UNREACHABLE], [tolerate(UNREACHABLE.key, 300)], addedAt, T0 + 1_000)).toEqual({action: 'wait', atMs: T0 + 300_000})
    expect(planEviction([UNREACHABLE], [tolerate(UNREACHABLE.key, 300)], addedAt, T0 + 300_000)).toEqual({action: 'evict'})
  })

  it('takes the earliest deadline over all taints', () => {
    const later: Taint = {key: 'maintenance', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:10Z'}
    const plan = planEviction([UNREACHABLE, later], [tolerate(UNREACHABLE.key, 60), tolerate('maintenance', 5)], addedAt, T0)
    expect(plan).toEqual({action: 'wait', atMs: T0 + 15_000})
  })

  it('tolerates forever without tolerationSeconds, and evicts at once with zero or negative seconds', () => {
    expect(planEviction([UNREACHABLE], [tolerate(undefined)], addedAt, T0 + 10 ** 9)).toEqual({action: 'keep'})
    expect(planEviction([UNREACHABLE], [tolerate(UNREACHABLE.key, 0)], addedAt, T0)).toEqual({action: 'evict'})
    expect(planEviction([UNREACHABLE], [tolerate(UNREACHABLE.key, -5)], addedAt, T0)).toEqual({action: 'evict'})
  })

  it('uses the first toleration that matches a taint, as upstream does', () => {
    const tolerations = [tolerate(UNREACHABLE.key, 2), tolerate(undefined)]
    expect(planEviction([UNREACHABLE], tolerations, addedAt, T0)).toEqual({action: 'wait', atMs: T0 + 2_000})
  })

  it('counts from the supplied time when a taint has no timeAdded', () => {
    const bare: Taint = {key: 'maintenance', effect: 'NoExecute'}
    expect(planEviction([bare], [tolerate('maintenance', 30)], () => T0 + 5_000, T0 + 6_000)).toEqual({action: 'wait', atMs: T0 + 35_000})
  })
})
