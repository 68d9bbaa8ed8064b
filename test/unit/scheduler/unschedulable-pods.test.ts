import {describe, expect, it} from 'vitest'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {UnschedulablePods} from '../../../src/cluster/scheduler/unschedulable-pods.js'

describe('UnschedulablePods', () => {
  it('doubles the back-off from 1 s up to 10 s', () => {
    const pods = new UnschedulablePods(new ManualClock(), () => undefined)
    expect([1, 2, 3, 4, 5, 9].map((n) => pods.backoffMs(n))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000])
  })

  it('requeues parked pods on a cluster change only after their back-off', async () => {
    const clock = new ManualClock()
    const queued: string[] = []
    const pods = new UnschedulablePods(clock, (k) => queued.push(k))
    pods.park('a')
    pods.moveAll()
    expect(queued).toEqual([])
    await clock.advance(999)
    expect(queued).toEqual([])
    await clock.advance(1)
    expect(queued).toEqual(['a'])
    pods.stop()
  })

  it('requeues at once a pod whose back-off has passed, and nothing without a change', async () => {
    const clock = new ManualClock()
    const queued: string[] = []
    const pods = new UnschedulablePods(clock, (k) => queued.push(k))
    pods.park('a')
    await clock.advance(5000)
    expect(queued).toEqual([])
    pods.moveAll()
    expect(queued).toEqual(['a'])
    expect(pods.has('a')).toBe(false)
  })

  it('forgets a pod that was scheduled or deleted', async () => {
    const clock = new ManualClock()
    const queued: string[] = []
    const pods = new UnschedulablePods(clock, (k) => queued.push(k))
    pods.park('a')
    pods.moveAll()
    pods.forget('a')
    await clock.advance(2000)
    expect(queued).toEqual([])
    pods.stop()
  })
})
