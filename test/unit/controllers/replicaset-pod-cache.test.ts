import type {ReplicaSet} from 'kubernetes-types/apps/v1.js'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {SharedInformerFactory} from '../../../src/cluster/controllers/informers/shared-informer-factory.js'
import {CachedPods} from '../../../src/cluster/controllers/replicaset-pod-cache.js'
import {ReplicaSetReconciler} from '../../../src/cluster/controllers/replicaset-reconciler.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import type {Store} from '../../../src/cluster/store/store.js'
import {openTestRegistry, PODS, podManifest, REPLICASETS, replicaSetManifest, type TestRegistry} from './replicaset-fixtures.js'

/** The store, with every watch event delivered `ms` late: a cache that trails the store, as under load. */
function laggingStore(store: Store, ms: number): Store {
  const lagging: Store = Object.create(store)
  lagging.list = (prefix) => store.list(prefix)
  lagging.watch = (prefix, from) => {
    const watch = store.watch(prefix, from)
    async function* events() {
      for await (const event of watch.events) {
        await new Promise((r) => setTimeout(r, ms))
        yield event
      }
    }
    return {events: events(), close: () => watch.close()}
  }
  return lagging
}

const signal = new AbortController().signal

describe('ReplicaSetReconciler over the shared informer caches', () => {
  let t: TestRegistry
  let releases: Array<() => void>
  let reconciler: ReplicaSetReconciler
  let pods: CachedPods

  beforeEach(async () => {
    const clock = new ManualClock(new Date('2026-01-01T12:00:00Z'))
    t = await openTestRegistry(clock)
    // Frozen cache objects: the reconciler must never change what it reads.
    const factory = new SharedInformerFactory(laggingStore(t.store, 5), {freeze: true})
    const podInformer = factory.informerFor(PODS)
    const rsInformer = factory.informerFor(REPLICASETS)
    pods = new CachedPods(podInformer)
    releases = [podInformer.acquire(), rsInformer.acquire()]
    await Promise.all([podInformer.whenSynced(), rsInformer.whenSynced()])
    reconciler = new ReplicaSetReconciler({registry: t.registry, clock, pods, replicaSets: rsInformer})
  })
  afterEach(async () => {
    for (const release of releases) release()
    await t.store.close()
  })

  const createRS = async (name: string, replicas: number) => {
    const rs = await t.registry.create(REPLICASETS, 'default', replicaSetManifest(name, replicas), {manager: 'test'})
    // The controller is woken by the informer's event, so the cache holds the ReplicaSet by then.
    await new Promise((r) => setTimeout(r, 50))
    return rs
  }
  const storedPods = async () => (await t.registry.list(PODS, 'default')).items.filter((p) => !p.metadata.deletionTimestamp)
  const sync = (name: string) => reconciler.reconcile({namespace: 'default', name}, signal)

  it('never creates twice when syncs follow each other faster than the cache sees the created pods', async () => {
    await createRS('web', 5)
    await sync('web')
    // No wait: the second sync must wait for its own writes to reach the cache (the expectations).
    await sync('web')
    await sync('web')
    expect(await storedPods()).toHaveLength(5)
    const rs = (await t.registry.get(REPLICASETS, 'default', 'web')) as unknown as ReplicaSet
    expect(rs.status?.replicas).toBe(5)
  })

  it('lists only its own pods and orphans of its namespace from the indexes, and adopts matching orphans', async () => {
    const web = await createRS('web', 2)
    await createRS('api', 1)
    await sync('api')
    await t.registry.create(PODS, 'default', podManifest('orphan', {app: 'web'}), {manager: 'test'})
    await new Promise((r) => setTimeout(r, 100))
    const listed = await pods.list('default', {controllers: new Set([web.metadata.uid!]), orphans: true})
    expect(listed.map((p) => p.metadata?.name)).toEqual(['orphan'])
    await sync('web')
    const mine = (await storedPods()).filter((p) => p.metadata.ownerReferences?.[0]?.uid === web.metadata.uid)
    expect(mine.map((p) => p.metadata.name)).toContain('orphan')
    expect(mine).toHaveLength(2)
  })

  it('scales down from the cache without deleting more than asked', async () => {
    await createRS('web', 4)
    await sync('web')
    await t.registry.update(REPLICASETS, 'default', 'web', (live) => ({...live!, spec: {...(live!.spec as object), replicas: 1}}), {manager: 'test'})
    await new Promise((r) => setTimeout(r, 100))
    await sync('web')
    await sync('web')
    expect(await storedPods()).toHaveLength(1)
  })
})
