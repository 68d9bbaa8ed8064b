import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {resourceOfKind} from '../../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {SharedInformerFactory} from '../../../../src/cluster/controllers/informers/shared-informer-factory.js'
import {SharedInformer} from '../../../../src/cluster/controllers/informers/shared-informer.js'
import {CacheBehindError, ReadYourWrites} from '../../../../src/cluster/controllers/informers/read-your-writes.js'
import {ManualClock} from '../../../../src/cluster/manual-clock.js'
import type {Store, Watch} from '../../../../src/cluster/store/store.js'
import {pollUntil} from '../../../support/eventually.js'
import {openTestRegistry, type TestRegistry} from '../../../support/test-registry.js'

const CONFIGMAPS = resourceOfKind('ConfigMap')
const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data} as KubeObject)

/** The store, with a handle on every watch it opened (to end one as compaction or overflow would). */
function trackingStore(store: Store): {store: Store; watches: Watch[]} {
  const watches: Watch[] = []
  const wrapped: Store = Object.create(store)
  wrapped.watch = (prefix, from) => {
    const w = store.watch(prefix, from)
    watches.push(w)
    return w
  }
  wrapped.list = (prefix) => store.list(prefix)
  return {store: wrapped, watches}
}

describe('SharedInformer', () => {
  let t: TestRegistry
  const releases: Array<() => void> = []
  beforeEach(async () => {
    t = await openTestRegistry(new ManualClock(new Date('2026-01-01T00:00:00Z')))
  })
  afterEach(async () => {
    for (const release of releases.splice(0)) release()
    await t.store.close()
  })

  const create = (name: string, data: Record<string, string> = {}) => t.registry.create(CONFIGMAPS, 'default', cm(name, data), {manager: 'test'})
  const start = (informer: SharedInformer) => releases.push(informer.acquire())

  it('lists into the cache, reports synced, then follows adds, updates (with the old object) and deletes', async () => {
    await create('before')
    const informer = new SharedInformer(t.store, CONFIGMAPS, {freeze: true})
    const seen: string[] = []
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (old, o) => seen.push(`update ${o.metadata.name} ${(old as {data?: {v?: string}}).data?.v ?? '-'}->${(o as {data?: {v?: string}}).data?.v}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    })
    expect(informer.hasSynced()).toBe(false)
    start(informer)
    expect(await informer.whenSynced()).toBe(true)
    expect(informer.cache.get('default', 'before')).toBeDefined()
    await create('later')
    await t.registry.update(CONFIGMAPS, 'default', 'later', (live) => ({...live!, data: {v: '2'}}), {manager: 'test'})
    const {object} = await t.registry.delete(CONFIGMAPS, 'default', 'before')
    expect(await informer.waitForRevision(Number(object.metadata.resourceVersion))).toBe(true)
    expect(seen).toEqual(['add before', 'add later', 'update later -->2', 'delete before'])
    expect(informer.cache.get('default', 'before')).toBeUndefined()
    expect((informer.cache.get('default', 'later') as {data?: unknown}).data).toEqual({v: '2'})
  })

  it('caches objects without metadata.managedFields, from the listing and from the watch, leaving the store as it was', async () => {
    await create('listed')
    const informer = new SharedInformer(t.store, CONFIGMAPS)
    const updated: KubeObject[] = []
    informer.addEventHandler({onUpdate: (_old, o) => updated.push(o)})
    start(informer)
    await informer.whenSynced()
    await t.registry.update(CONFIGMAPS, 'default', 'listed', (live) => ({...live!, data: {v: '2'}}), {manager: 'test'})
    const later = await create('watched')
    expect(await informer.waitForRevision(Number(later.metadata.resourceVersion))).toBe(true)
    for (const name of ['listed', 'watched']) {
      const cached = informer.cache.get('default', name)!
      expect(cached.metadata.name).toBe(name)
      expect(cached.metadata.managedFields).toBeUndefined()
      expect((await t.registry.get(CONFIGMAPS, 'default', name)).metadata.managedFields?.[0]?.manager).toBe('test')
    }
    expect(updated.map((o) => [(o as {data?: unknown}).data, o.metadata.managedFields])).toEqual([[{v: '2'}, undefined]])
  })

  it('tells a handler added after the first listing about every cached object', async () => {
    await create('a')
    const informer = new SharedInformer(t.store, CONFIGMAPS)
    start(informer)
    await informer.whenSynced()
    const added: string[] = []
    informer.addEventHandler({onAdd: (o) => added.push(o.metadata.name!)})
    expect(added).toEqual(['a'])
  })

  it('relists when its watch ends and reports objects deleted meanwhile as deletes', async () => {
    const tracked = trackingStore(t.store)
    await create('stays')
    await create('vanishes')
    const informer = new SharedInformer(tracked.store, CONFIGMAPS, {relistDelayMs: 20})
    const deleted: string[] = []
    informer.addEventHandler({onDelete: (o) => deleted.push(o.metadata.name!)})
    start(informer)
    await informer.whenSynced()
    await pollUntil(async () => tracked.watches.length === 1, 'watch opened', 5_000, 10)
    // The watch ends before the deletion is committed, so only the relist can notice it.
    tracked.watches[0].close()
    await t.registry.delete(CONFIGMAPS, 'default', 'vanishes')
    await pollUntil(async () => deleted.length === 1, 'delete reported by the relist', 5_000, 10)
    expect(deleted).toEqual(['vanishes'])
    expect(informer.cache.list().map((o) => o.metadata.name)).toEqual(['stays'])
    expect(tracked.watches.length).toBe(2)
  })

  it('stops its watch when its last user releases it', async () => {
    const tracked = trackingStore(t.store)
    const informer = new SharedInformer(tracked.store, CONFIGMAPS)
    const first = informer.acquire()
    const second = informer.acquire()
    await informer.whenSynced()
    await pollUntil(async () => tracked.watches.length === 1, 'watch opened', 5_000, 10)
    first()
    first()
    await create('x')
    await pollUntil(async () => informer.cache.get('default', 'x') !== undefined, 'still watching with one user', 5_000, 10)
    second()
    await new Promise((r) => setTimeout(r, 20))
    await create('y')
    await new Promise((r) => setTimeout(r, 50))
    expect(informer.cache.get('default', 'y')).toBeUndefined()
  })

  it('gives one informer per resource from a factory', () => {
    const factory = new SharedInformerFactory(t.store)
    expect(factory.informerFor(CONFIGMAPS)).toBe(factory.informerFor(resourceOfKind('ConfigMap')))
    expect(factory.informerFor(CONFIGMAPS)).not.toBe(factory.informerFor(resourceOfKind('Secret')))
  })
})

describe('ReadYourWrites', () => {
  let t: TestRegistry
  beforeEach(async () => {
    t = await openTestRegistry(new ManualClock(new Date('2026-01-01T00:00:00Z')))
  })
  afterEach(async () => t.store.close())

  it('waits until the cache holds a recorded write, then forgets it', async () => {
    const informer = new SharedInformer(t.store, CONFIGMAPS)
    const release = informer.acquire()
    await informer.whenSynced()
    const writes = new ReadYourWrites(informer)
    const written = await t.registry.create(CONFIGMAPS, 'default', cm('w'), {manager: 'test'})
    writes.wrote('key', written)
    expect(writes.size).toBe(1)
    await writes.settle('key')
    expect(informer.cache.get('default', 'w')?.metadata.uid).toBe(written.metadata.uid)
    expect(writes.size).toBe(0)
    release()
  })

  it('fails with CacheBehindError when the cache does not catch up in time', async () => {
    const informer = new SharedInformer(t.store, CONFIGMAPS)
    const writes = new ReadYourWrites(informer, 20)
    // The informer never started, so it stays at revision 0.
    writes.wrote('key', {...cm('x'), metadata: {name: 'x', resourceVersion: '999'}})
    await expect(writes.settle('key')).rejects.toBeInstanceOf(CacheBehindError)
  })
})
