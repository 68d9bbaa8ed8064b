import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {resourceOfKind} from '../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {Controller} from '../../../src/cluster/controllers/controller.js'
import {SharedInformerFactory} from '../../../src/cluster/controllers/informers/shared-informer-factory.js'
import type {ObjectKey} from '../../../src/cluster/controllers/reconciler.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import type {Store} from '../../../src/cluster/store/store.js'
import {pollUntil} from '../../support/eventually.js'
import {openTestRegistry, type TestRegistry} from '../../support/test-registry.js'

const CONFIGMAPS = resourceOfKind('ConfigMap')
const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data} as KubeObject)

describe('Controller with shared informers', () => {
  let t: TestRegistry
  let watchesOpened: number
  let store: Store
  const controllers: Controller[] = []
  beforeEach(async () => {
    t = await openTestRegistry(new ManualClock(new Date('2026-01-01T00:00:00Z')))
    watchesOpened = 0
    store = Object.create(t.store)
    store.list = (prefix) => t.store.list(prefix)
    store.watch = (prefix, from) => {
      watchesOpened++
      return t.store.watch(prefix, from)
    }
  })
  afterEach(async () => {
    for (const c of controllers.splice(0)) await c.stop()
    await t.store.close()
  })

  it('shares one watch per resource between controllers and keeps the keysFor contract with event types', async () => {
    await t.registry.create(CONFIGMAPS, 'default', cm('first'), {manager: 'test'})
    const factory = new SharedInformerFactory(store)
    const events: string[] = []
    const reconciled: string[][] = [[], []]
    for (const i of [0, 1]) {
      controllers.push(
        new Controller({
          store,
          informers: factory,
          reconciler: {name: `r${i}`, reconcile: async (key: ObjectKey) => void reconciled[i].push(key.name)},
          sources: [{resource: CONFIGMAPS, keysFor: (obj, r, event) => (i === 0 && events.push(`${event} ${obj.metadata.name} ${r.kind}`), [{namespace: obj.metadata.namespace, name: obj.metadata.name!}])}],
          workers: 1,
        }),
      )
    }
    for (const c of controllers) c.start()
    await t.registry.create(CONFIGMAPS, 'default', cm('second'), {manager: 'test'})
    await t.registry.update(CONFIGMAPS, 'default', 'second', (live) => ({...live!, data: {v: '1'}}), {manager: 'test'})
    await t.registry.delete(CONFIGMAPS, 'default', 'first')
    await pollUntil(async () => events.length === 4 && reconciled.every((r) => r.includes('first') && r.includes('second')), 'events mapped and reconciled', 5_000, 10)
    expect(events).toEqual(['ADDED first ConfigMap', 'ADDED second ConfigMap', 'MODIFIED second ConfigMap', 'DELETED first ConfigMap'])
    expect(watchesOpened).toBe(1)
  })

  it('reconciles a key only after the delay its source asks for, and at once without one', async () => {
    const factory = new SharedInformerFactory(store)
    const reconciled: Array<[string, number]> = []
    const started = Date.now()
    const c = new Controller({
      store,
      informers: factory,
      reconciler: {name: 'r', reconcile: async (key: ObjectKey) => void reconciled.push([key.name, Date.now() - started])},
      sources: [{resource: CONFIGMAPS, delayFor: (obj) => (obj.metadata.name === 'later' ? 300 : undefined)}],
      workers: 1,
    })
    controllers.push(c)
    c.start()
    await t.registry.create(CONFIGMAPS, 'default', cm('later'), {manager: 'test'})
    await t.registry.create(CONFIGMAPS, 'default', cm('now'), {manager: 'test'})
    await pollUntil(async () => reconciled.length === 2, 'both reconciled', 5_000, 10)
    expect(reconciled.map(([name]) => name)).toEqual(['now', 'later'])
    expect(reconciled[1]![1]).toBeGreaterThanOrEqual(300)
  })

  it('reconciles nothing before the shared caches have synced', async () => {
    let listed!: () => void
    const gate = new Promise<void>((resolve) => (listed = resolve))
    store.list = async (prefix) => {
      await gate
      return t.store.list(prefix)
    }
    const factory = new SharedInformerFactory(store)
    const reconciled: string[] = []
    const c = new Controller({store, informers: factory, reconciler: {name: 'r', reconcile: async (key: ObjectKey) => void reconciled.push(key.name)}, sources: [{resource: CONFIGMAPS}], workers: 1})
    controllers.push(c)
    c.start()
    c.enqueue({namespace: 'default', name: 'early'})
    await new Promise((r) => setTimeout(r, 30))
    expect(reconciled).toEqual([])
    listed()
    await pollUntil(async () => reconciled.includes('early'), 'reconciled after sync', 5_000, 10)
  })
})
