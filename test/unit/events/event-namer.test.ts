import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {EventNamer} from '../../../src/cluster/events/event-object.js'
import {EventRecorder} from '../../../src/cluster/events/recorder.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {openTestRegistry, type TestRegistry} from './registry-fixture.js'

describe('EventNamer', () => {
  it('gives events about one object in one millisecond distinct, ordered names, across namers', () => {
    const at = new Date('2026-01-01T00:00:00Z')
    const names = [new EventNamer(), new EventNamer(), new EventNamer()].map((n) => n.nameFor('web', at))
    expect(new Set(names).size).toBe(3)
    expect([...names].sort()).toEqual(names)
    for (const name of names) expect(name).toMatch(/^web\.[0-9a-f]{16}$/)
  })
})

describe('EventRecorders of different components', () => {
  let clock: ManualClock
  let t: TestRegistry
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
    t = await openTestRegistry(clock)
  })
  afterEach(async () => t.store.close())

  it('both write their events about one pod at the same instant (the scheduler\'s Scheduled and the kubelet\'s Pulled)', async () => {
    const pod = await t.createPod('web')
    const scheduler = new EventRecorder({registry: t.registry, clock, component: 'default-scheduler'})
    const kubelet = new EventRecorder({registry: t.registry, clock, component: 'kubelet', host: 'node-1'})
    scheduler.event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/web to node-1')
    kubelet.event(pod, 'Normal', 'Pulled', 'Container image "nginx:1.27" already present on machine', {fieldPath: 'spec.containers{web}'})
    await Promise.all([scheduler.flush(), kubelet.flush()])
    expect((await t.events()).map((e) => e.reason)).toEqual(['Scheduled', 'Pulled'])
    expect(scheduler.stats.failed + kubelet.stats.failed).toBe(0)
  })
})
