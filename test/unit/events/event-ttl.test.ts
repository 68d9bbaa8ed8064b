import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ApiError} from '../../../src/cluster/api/errors.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {EventRecorder} from '../../../src/cluster/events/recorder.js'
import {EventTtlReconciler, lastOccurrence} from '../../../src/cluster/events/event-ttl.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {EVENTS, openTestRegistry, type TestRegistry} from './registry-fixture.js'

const HOUR = 3_600_000
let clock: ManualClock
let t: TestRegistry
let pod: KubeObject

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  t = await openTestRegistry(clock)
  pod = await t.createPod('web')
})
afterEach(async () => t.store.close())

describe('event TTL', () => {
  it('keeps an event for an hour after its last occurrence, then deletes it', async () => {
    const recorder = new EventRecorder({registry: t.registry, clock, component: 'kubelet', host: 'n1'})
    const ttl = new EventTtlReconciler(t.registry, clock)
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container')
    await recorder.flush()
    const [ev] = await t.events()
    const key = {namespace: 'default', name: ev.metadata.name}
    expect(await ttl.reconcile(key)).toEqual({requeueAfterMs: HOUR})

    await clock.advance(40 * 60_000)
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container')
    await recorder.flush()
    await clock.advance(30 * 60_000)
    // 70 minutes after creation, 30 after the repeat: half an hour to go.
    expect(await ttl.reconcile(key)).toEqual({requeueAfterMs: 30 * 60_000})
    expect(await t.events()).toHaveLength(1)

    await clock.advance(30 * 60_000)
    expect(await ttl.reconcile(key)).toBeUndefined()
    expect(await t.events()).toHaveLength(0)
  })

  it('honours a shorter TTL and ignores events that are already gone', async () => {
    const ttl = new EventTtlReconciler(t.registry, clock, 60_000)
    await t.registry.create(EVENTS, 'default', {apiVersion: 'v1', kind: 'Event', metadata: {name: 'web.1'}, involvedObject: {kind: 'Pod', namespace: 'default', name: 'web'}, lastTimestamp: '2026-01-01T00:00:00Z'}, {manager: 'test'})
    await clock.advance(60_000)
    expect(await ttl.reconcile({namespace: 'default', name: 'web.1'})).toBeUndefined()
    expect(await t.events()).toHaveLength(0)
    expect(await ttl.reconcile({namespace: 'default', name: 'web.1'})).toBeUndefined()
  })

  it('comes back at once when the event changed between its read and the delete', async () => {
    const stale = {metadata: {name: 'e', namespace: 'default', resourceVersion: '5'}, lastTimestamp: '2025-01-01T00:00:00Z'}
    const racing = {
      tryGet: async () => stale,
      delete: async () => {
        throw new ApiError(409, 'Conflict', 'Precondition failed')
      },
    }
    const ttl = new EventTtlReconciler(racing, clock)
    expect(await ttl.reconcile({namespace: 'default', name: 'e'})).toEqual({requeueAfterMs: 0})
  })

  it('takes the last occurrence from lastTimestamp, else series, eventTime or creation', () => {
    const meta = {name: 'e', creationTimestamp: '2026-01-01T00:00:04Z'}
    expect(lastOccurrence({metadata: meta, lastTimestamp: '2026-01-01T00:00:01Z', eventTime: '2026-01-01T00:00:02.000000Z'})).toBe(Date.parse('2026-01-01T00:00:01Z'))
    expect(lastOccurrence({metadata: meta, lastTimestamp: null, eventTime: '2026-01-01T00:00:02.000000Z', series: {count: 2, lastObservedTime: '2026-01-01T00:00:03.000000Z'}})).toBe(Date.parse('2026-01-01T00:00:03Z'))
    expect(lastOccurrence({metadata: meta, eventTime: '2026-01-01T00:00:02.000000Z'})).toBe(Date.parse('2026-01-01T00:00:02Z'))
    expect(lastOccurrence({metadata: meta, lastTimestamp: null, eventTime: null})).toBe(Date.parse('2026-01-01T00:00:04Z'))
  })
})
