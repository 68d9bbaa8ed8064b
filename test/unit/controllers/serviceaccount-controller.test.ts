import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ServiceAccountReconciler} from '../../../src/cluster/controllers/serviceaccount-controller.js'
import {find, openTestRegistry, type TestRegistry} from './endpoints-fixtures.js'

const SA = find('ServiceAccount')
const NS = find('Namespace')

describe('ServiceAccount reconciler', () => {
  let t: TestRegistry
  let reconciler: ServiceAccountReconciler
  beforeEach(async () => {
    t = await openTestRegistry()
    reconciler = new ServiceAccountReconciler(t.registry)
  })
  afterEach(async () => t.store.close())

  it('creates the default ServiceAccount of a namespace that has none', async () => {
    await reconciler.reconcile({name: 'default'})
    const sa = await t.registry.tryGet(SA, 'default', 'default')
    expect(sa?.metadata.name).toBe('default')
    expect(sa?.metadata.namespace).toBe('default')
  })

  it('leaves an existing default ServiceAccount untouched', async () => {
    await reconciler.reconcile({name: 'default'})
    const before = await t.registry.get(SA, 'default', 'default')
    await reconciler.reconcile({name: 'default'})
    expect((await t.registry.get(SA, 'default', 'default')).metadata.resourceVersion).toBe(before.metadata.resourceVersion)
  })

  it('creates it again after it was deleted', async () => {
    await reconciler.reconcile({name: 'default'})
    const first = await t.registry.get(SA, 'default', 'default')
    await t.registry.delete(SA, 'default', 'default', {})
    await reconciler.reconcile({name: 'default'})
    const again = await t.registry.get(SA, 'default', 'default')
    expect(again.metadata.uid).not.toBe(first.metadata.uid)
  })

  it('creates nothing in a namespace being deleted or one that does not exist', async () => {
    await t.registry.create(NS, undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'doomed'}}, {manager: 'test'})
    await t.registry.delete(NS, undefined, 'doomed', {})
    expect((await t.registry.get(NS, undefined, 'doomed')).metadata.deletionTimestamp).toBeTruthy()
    await reconciler.reconcile({name: 'doomed'})
    await reconciler.reconcile({name: 'missing'})
    expect(await t.registry.tryGet(SA, 'doomed', 'default')).toBeUndefined()
  })
})
