import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {EndpointsReconciler} from '../../../src/cluster/controllers/endpoints-controller.js'
import {find, openTestRegistry, storePod, storeService, type TestRegistry} from './endpoints-fixtures.js'

const ENDPOINTS = find('Endpoints')

describe('Endpoints reconciler', () => {
  let t: TestRegistry
  let reconciler: EndpointsReconciler
  beforeEach(async () => {
    t = await openTestRegistry()
    reconciler = new EndpointsReconciler(t.registry)
  })
  afterEach(async () => t.store.close())

  const endpoints = () => t.registry.tryGet(ENDPOINTS, 'default', 'web')

  it('writes the Endpoints of a selector Service with its labels, the managed-by label and a trigger time', async () => {
    await storeService(t.registry, 'web', {}, {team: 'x'})
    await storePod(t.registry, 'a', {ip: '10.244.0.2', ports: {http: 8080}})
    await storePod(t.registry, 'b', {ip: '10.244.0.3', ports: {http: 8080}, ready: false, readySince: '2026-01-01T00:00:05Z'})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    const ep = await endpoints()
    expect(ep?.metadata.labels).toEqual({team: 'x', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller'})
    expect(ep?.metadata.annotations).toEqual({'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:05Z'})
    expect(ep?.metadata.ownerReferences).toBeUndefined()
    expect(ep?.subsets).toMatchObject([
      {addresses: [{ip: '10.244.0.2', nodeName: 'node-a', targetRef: {kind: 'Pod', name: 'a'}}], notReadyAddresses: [{ip: '10.244.0.3'}], ports: [{name: 'http', port: 8080, protocol: 'TCP'}]},
    ])
  })

  it('does not write again when nothing changed', async () => {
    await storeService(t.registry)
    await storePod(t.registry, 'a', {ports: {http: 8080}})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    const before = await endpoints()
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect((await endpoints())?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion)
  })

  it('writes an Endpoints without subsets for a selector Service with no pods', async () => {
    await storeService(t.registry)
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    const ep = await endpoints()
    expect(ep).toBeDefined()
    expect(ep?.subsets).toBeUndefined()
  })

  it('leaves the Endpoints of a Service without selector alone', async () => {
    await storeService(t.registry, 'web', {selector: undefined})
    const manual = {apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'web'}, subsets: [{addresses: [{ip: '192.0.2.1'}], ports: [{port: 1}]}]}
    await t.registry.create(ENDPOINTS, 'default', manual, {manager: 'test'})
    const before = await endpoints()
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect((await endpoints())?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion)
  })

  it('deletes its Endpoints once the Service is gone, but never hand-written ones', async () => {
    await storeService(t.registry)
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    await t.registry.delete(find('Service'), 'default', 'web', {})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect(await endpoints()).toBeUndefined()

    await t.registry.create(ENDPOINTS, 'default', {apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'web'}}, {manager: 'test'})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect(await endpoints()).toBeDefined()
  })

  it('marks the Endpoints of a headless Service', async () => {
    await storeService(t.registry, 'web', {clusterIP: 'None'})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect((await endpoints())?.metadata.labels?.['service.kubernetes.io/headless']).toBe('')
  })

  it('follows the Service labels', async () => {
    await storeService(t.registry, 'web', {}, {v: '1'})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    await t.registry.update(find('Service'), 'default', 'web', (live) => ({...live!, metadata: {...live!.metadata, labels: {v: '2'}}}), {manager: 'test'})
    await reconciler.reconcile({namespace: 'default', name: 'web'})
    expect((await endpoints())?.metadata.labels?.v).toBe('2')
  })
})
