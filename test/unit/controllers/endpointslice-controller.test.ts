import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {EndpointSliceReconciler, PodsOnMissingNodesError} from '../../../src/cluster/controllers/endpointslice-controller.js'
import {openTestRegistry, storePod, storeService, type TestRegistry} from './endpoints-fixtures.js'
import {RESOURCES} from '../../../src/cluster/api/resources.js'

const SLICES = RESOURCES.find((r) => r.kind === 'EndpointSlice')!

describe('EndpointSlice reconciler', () => {
  let t: TestRegistry
  let reconciler: EndpointSliceReconciler
  beforeEach(async () => {
    t = await openTestRegistry()
    reconciler = new EndpointSliceReconciler(t.registry)
  })
  afterEach(async () => t.store.close())

  const slices = async () => (await t.registry.list(SLICES, 'default')).items as unknown as EndpointSlice[]

  it('stores a slice named after the Service, owned by it, with the pods as endpoints', async () => {
    const svc = await storeService(t.registry)
    await storePod(t.registry, 'a', {ip: '10.244.0.2', ports: {http: 8080}})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    const [slice, ...rest] = await slices()
    expect(rest).toEqual([])
    expect(slice.metadata!.name).toMatch(/^web-[a-z0-9]{5}$/)
    expect(slice.metadata!.ownerReferences).toEqual([{apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true}])
    expect(slice.endpoints.map((e) => e.addresses)).toEqual([['10.244.0.2']])
    expect(slice.ports).toEqual([{name: 'http', port: 8080, protocol: 'TCP'}])
  })

  it('stores the placeholder of a Service without pods with null endpoints and ports, as the real server shows it', async () => {
    await storeService(t.registry)
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    const [slice] = await slices()
    expect(slice.endpoints).toBeNull()
    expect(slice.ports).toBeNull()
  })

  it('writes nothing on a second pass over an unchanged Service', async () => {
    await storeService(t.registry)
    await storePod(t.registry, 'a', {ports: {http: 8080}})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    const before = await slices()
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect((await slices()).map((s) => s.metadata!.resourceVersion)).toEqual(before.map((s) => s.metadata!.resourceVersion))
  })

  it('writes the other pods and asks to be retried when a pod names a node that does not exist', async () => {
    await storeService(t.registry)
    await storePod(t.registry, 'a', {ip: '10.244.0.2', ports: {http: 8080}})
    await storePod(t.registry, 'lost', {ip: '10.244.0.3', ports: {http: 8080}, node: 'nowhere'})
    await expect(reconciler.reconcile({namespace: 'default', name: 'web'})).rejects.toBeInstanceOf(PodsOnMissingNodesError)
    expect((await slices()).flatMap((s) => s.endpoints.map((e) => e.targetRef?.name))).toEqual(['a'])
  })

  it('does nothing for a Service without selector', async () => {
    await storeService(t.registry, 'web', {selector: undefined})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect(await slices()).toEqual([])
  })
})
