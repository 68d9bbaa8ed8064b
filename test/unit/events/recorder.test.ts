import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ApiError} from '../../../src/cluster/api/errors.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {EventRecorder} from '../../../src/cluster/events/recorder.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {EVENTS, openTestRegistry, type TestRegistry} from './registry-fixture.js'

let clock: ManualClock
let t: TestRegistry
let pod: KubeObject

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  t = await openTestRegistry(clock)
  pod = await t.createPod('web')
})
afterEach(async () => t.store.close())

const recorder = (component = 'default-scheduler', host?: string, extra: Partial<ConstructorParameters<typeof EventRecorder>[0]> = {}) =>
  new EventRecorder({registry: t.registry, clock, component, host, ...extra})

describe('EventRecorder', () => {
  it('writes a core/v1 Event shaped as client-go writes it', async () => {
    const r = recorder()
    r.event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/web to node-1')
    await r.flush()
    const [ev, ...rest] = await t.events()
    expect(rest).toEqual([])
    expect(ev.metadata.name).toMatch(/^web\.[0-9a-f]{16}$/)
    expect(ev).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {namespace: 'default'},
      involvedObject: {kind: 'Pod', namespace: 'default', name: 'web', uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion},
      reason: 'Scheduled',
      message: 'Successfully assigned default/web to node-1',
      source: {component: 'default-scheduler'},
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: 'default-scheduler',
      reportingInstance: '',
    })
    expect(ev.source).toEqual({component: 'default-scheduler'})
    expect(ev.involvedObject.fieldPath).toBeUndefined()
  })

  it('names events after the object and the unix time in nanoseconds, unique within one millisecond', async () => {
    const r = recorder()
    r.event(pod, 'Normal', 'A', 'a')
    r.event(pod, 'Normal', 'B', 'b')
    await r.flush()
    const nanos = (await t.events()).map((e) => BigInt(`0x${e.metadata.name.slice('web.'.length)}`))
    // The sequence is process-wide (event-namer.test.ts), so earlier tests may have used this millisecond's first nanoseconds.
    const ms = BigInt(clock.now().getTime()) * 1_000_000n
    expect(nanos[1]).toBe(nanos[0]! + 1n)
    expect(nanos[0]! >= ms && nanos[1]! < ms + 1_000_000n).toBe(true)
  })

  it('records the node agent as source host and reporting instance, with the field path', async () => {
    const r = recorder('kubelet', 'node-1')
    r.event(pod, 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', {fieldPath: 'spec.containers{web}'})
    await r.flush()
    const [ev] = await t.events()
    expect(ev.source).toEqual({component: 'kubelet', host: 'node-1'})
    expect(ev).toMatchObject({reportingComponent: 'kubelet', reportingInstance: 'node-1', involvedObject: {fieldPath: 'spec.containers{web}'}})
  })

  it('puts events about cluster-scoped objects in the default namespace', async () => {
    const r = recorder('kubelet', 'node-1')
    r.event({apiVersion: 'v1', kind: 'Node', metadata: {name: 'node-1', uid: 'node-1'}}, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady')
    await r.flush()
    const [ev] = await t.events()
    expect(ev.metadata.namespace).toBe('default')
    expect(ev.involvedObject).toEqual({kind: 'Node', name: 'node-1', uid: 'node-1', apiVersion: 'v1'})
  })

  it('updates count and lastTimestamp of the stored event when the same event repeats', async () => {
    const r = recorder('kubelet', 'node-1')
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container')
    await r.flush()
    const [first] = await t.events()
    for (let i = 0; i < 2; i++) {
      await clock.advance(30_000)
      r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container')
    }
    await r.flush()
    const events = await t.events()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({count: 3, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:01:00Z'})
    expect(events[0].metadata.uid).toBe(first.metadata.uid)
    expect(Number(events[0].metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion))
  })

  it('writes a burst of repeats as one event with their count', async () => {
    const r = recorder()
    for (let i = 0; i < 5; i++) r.event(pod, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.')
    await r.flush()
    const events = await t.events()
    expect(events).toHaveLength(1)
    expect(events[0].count).toBe(5)
  })

  it('combines many different messages about one object into one event', async () => {
    const r = recorder()
    for (let i = 1; i <= 12; i++) r.event(pod, 'Warning', 'Unhealthy', `Readiness probe failed: attempt ${i}`)
    await r.flush()
    const events = await t.events()
    const combined = events.filter((e) => e.message.startsWith('(combined from similar events): '))
    expect(events).toHaveLength(10)
    expect(combined).toHaveLength(1)
    expect(combined[0]).toMatchObject({message: '(combined from similar events): Readiness probe failed: attempt 12', count: 3, reason: 'Unhealthy'})
  })

  it('stops writing about one object after a burst of 25 and lets one more through every 5 minutes', async () => {
    const r = recorder('kubelet', 'node-1')
    for (let i = 0; i < 30; i++) r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container')
    await r.flush()
    expect((await t.events())[0].count).toBe(25)
    expect(r.stats.filtered).toBe(5)
    await clock.advance(300_000)
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container')
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container')
    await r.flush()
    // Filtered repeats were still counted, so the count written is the true number of occurrences.
    const [ev] = await t.events()
    expect(ev).toMatchObject({count: 31, lastTimestamp: '2026-01-01T00:05:00Z'})
    expect(r.stats.filtered).toBe(6)
  })

  it('creates the event again under its name when the stored one was deleted', async () => {
    const r = recorder()
    r.event(pod, 'Normal', 'Killing', 'Stopping container web')
    await r.flush()
    const [ev] = await t.events()
    await t.registry.delete(EVENTS, 'default', ev.metadata.name)
    await clock.advance(1000)
    r.event(pod, 'Normal', 'Killing', 'Stopping container web')
    await r.flush()
    const [again] = await t.events()
    expect(again).toMatchObject({metadata: {name: ev.metadata.name}, count: 2, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:01Z'})
    expect(again.metadata.uid).not.toBe(ev.metadata.uid)
  })

  it('drops events beyond its queue bound instead of blocking the caller', async () => {
    const r = recorder('deployment-controller', undefined, {maxQueued: 3})
    for (let i = 0; i < 10; i++) r.event(pod, 'Normal', `Reason${i}`, `message ${i}`)
    expect(r.stats).toMatchObject({queued: 3, dropped: 7})
    await r.flush()
    expect(await t.events()).toHaveLength(3)
    expect(r.stats).toMatchObject({queued: 0, written: 3})
  })

  it('writes events for many objects with a bounded number of writes in flight', async () => {
    const r = recorder('replicaset-controller', undefined, {maxInFlight: 4})
    for (let i = 0; i < 60; i++) r.event({apiVersion: 'v1', kind: 'Pod', metadata: {name: `p${i}`, namespace: 'default', uid: `u${i}`}}, 'Normal', 'Started', 'Started container web')
    await r.flush()
    expect(await t.events()).toHaveLength(60)
  })

  it('never throws to the caller: objects it cannot reference and failed writes are logged and dropped', async () => {
    const failing = {
      create: async () => {
        throw new ApiError(403, 'Forbidden', 'namespace default is being terminated')
      },
      update: async () => {
        throw new Error('unreachable')
      },
    }
    const r = new EventRecorder({registry: failing, clock, component: 'kubelet'})
    expect(() => r.event({metadata: {name: 'no-kind'}}, 'Normal', 'X', 'y')).not.toThrow()
    expect(() => r.event(pod, 'Normal', 'Started', 'Started container web')).not.toThrow()
    await r.flush()
    expect(r.stats).toMatchObject({written: 0, failed: 1, queued: 0})
  })
})
