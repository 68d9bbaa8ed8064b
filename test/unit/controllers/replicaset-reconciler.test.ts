import type {ReplicaSet} from 'kubernetes-types/apps/v1.js'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ApiError} from '../../../src/cluster/api/errors.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import type {ObjectRegistry} from '../../../src/cluster/apiserver/registry/object-registry.js'
import {ReplicaSetReconciler} from '../../../src/cluster/controllers/replicaset-reconciler.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {openTestRegistry, PODS, podManifest, REPLICASETS, replicaSetManifest, setPodStatus, type TestRegistry} from './replicaset-fixtures.js'

const signal = new AbortController().signal

describe('ReplicaSetReconciler', () => {
  let clock: ManualClock
  let t: TestRegistry
  let events: string[]
  let reconciler: ReplicaSetReconciler

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-01-01T12:00:00Z'))
    t = await openTestRegistry(clock)
    events = []
    reconciler = new ReplicaSetReconciler({registry: t.registry, clock, recorder: {event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`)}})
  })
  afterEach(async () => t.store.close())

  const createRS = (name: string, replicas: number, extra = {}) => t.registry.create(REPLICASETS, 'default', replicaSetManifest(name, replicas, extra), {manager: 'test'})
  const getRS = async (name: string) => (await t.registry.get(REPLICASETS, 'default', name)) as unknown as ReplicaSet
  const pods = async () => (await t.registry.list(PODS, 'default')).items
  const activePods = async () => (await pods()).filter((p) => !p.metadata.deletionTimestamp)
  const sync = (name: string) => reconciler.reconcile({namespace: 'default', name}, signal)
  const scale = (name: string, replicas: number) =>
    t.registry.update(REPLICASETS, 'default', name, (live) => ({...live!, spec: {...(live!.spec as object), replicas}}) as KubeObject, {manager: 'test'})

  it('creates the missing pods from the template with generateName, labels, annotations and a controller reference', async () => {
    const rs = await createRS('web', 3, {annotations: {note: 'from-template'}})
    await sync('web')
    const created = await pods()
    expect(created).toHaveLength(3)
    for (const pod of created) {
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      expect(pod.metadata.generateName).toBe('web-')
      expect(pod.metadata.labels).toEqual({app: 'web', tier: 'web'})
      expect(pod.metadata.annotations).toEqual({note: 'from-template'})
      expect(pod.metadata.ownerReferences).toEqual([{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true}])
      expect((pod.spec as {containers: Array<{image: string}>}).containers[0].image).toBe('nginx:1.27')
    }
    expect(events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: web-'))).toHaveLength(3)
  })

  it('never creates twice: a second sync sees the pods the first one created', async () => {
    await createRS('web', 4)
    await sync('web')
    await sync('web')
    expect(await pods()).toHaveLength(4)
    expect((await getRS('web')).status).toEqual({replicas: 4, fullyLabeledReplicas: 4, observedGeneration: 1})
  })

  it('writes nothing when the status is already right', async () => {
    await createRS('web', 1)
    await sync('web')
    await sync('web')
    const before = (await getRS('web')).metadata!.resourceVersion
    await sync('web')
    expect((await getRS('web')).metadata!.resourceVersion).toBe(before)
  })

  it('deletes the least valuable pods when scaled down and records SuccessfulDelete', async () => {
    await createRS('web', 3)
    await sync('web')
    const [keep1, keep2, notReady] = (await pods()).map((p) => p.metadata.name!)
    await setPodStatus(t.registry, keep1, clock.now())
    await setPodStatus(t.registry, keep2, clock.now())
    await setPodStatus(t.registry, notReady)
    await scale('web', 2)
    await sync('web')
    expect((await activePods()).map((p) => p.metadata.name).sort()).toEqual([keep1, keep2].sort())
    expect(events).toContain(`Normal SuccessfulDelete Deleted pod: ${notReady}`)
  })

  it('replaces a pod that is terminating without waiting for it to go', async () => {
    await createRS('web', 2)
    await sync('web')
    const [victim] = await pods()
    await t.registry.delete(PODS, 'default', victim.metadata.name!)
    await sync('web')
    expect(await activePods()).toHaveLength(2)
  })

  it('adopts a matching orphan and counts it, but not pods controlled by others or finished ones', async () => {
    const rs = await createRS('web', 2)
    await t.registry.create(PODS, 'default', podManifest('orphan', {app: 'web'}), {manager: 'test'})
    const foreignRef = {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'uid-other', controller: true}
    await t.registry.create(PODS, 'default', podManifest('foreign', {app: 'web'}, {ownerReferences: [foreignRef]}), {manager: 'test'})
    await t.registry.create(PODS, 'default', podManifest('done', {app: 'web'}), {manager: 'test'})
    await t.registry.update(PODS, 'default', 'done', (live) => ({...live!, status: {phase: 'Succeeded'}}), {manager: 'test', subresource: 'status'})
    await sync('web')
    const byName = new Map((await pods()).map((p) => [p.metadata.name, p]))
    expect(byName.get('orphan')?.metadata.ownerReferences?.[0].uid).toBe(rs.metadata.uid)
    expect(byName.get('foreign')?.metadata.ownerReferences).toEqual([foreignRef])
    expect(byName.get('done')?.metadata.ownerReferences).toBeUndefined()
    // The orphan counts as one of the two replicas: only one pod was created.
    expect(byName.size).toBe(4)
  })

  it('releases a pod whose labels no longer match and replaces it', async () => {
    await createRS('web', 1)
    await sync('web')
    const [pod] = await pods()
    await t.registry.update(PODS, 'default', pod.metadata.name!, (live) => ({...live!, metadata: {...live!.metadata, labels: {app: 'debug'}}}), {manager: 'test'})
    await sync('web')
    const released = await t.registry.get(PODS, 'default', pod.metadata.name!)
    expect(released.metadata.ownerReferences).toBeUndefined()
    expect(await pods()).toHaveLength(2)
  })

  it('neither creates, adopts nor releases while the ReplicaSet is being deleted', async () => {
    await createRS('web', 2)
    await sync('web')
    const [mine] = await pods()
    await t.registry.update(PODS, 'default', mine.metadata.name!, (live) => ({...live!, metadata: {...live!.metadata, labels: {app: 'moved'}}}), {manager: 'test'})
    await t.registry.create(PODS, 'default', podManifest('orphan', {app: 'web'}), {manager: 'test'})
    await t.registry.delete(REPLICASETS, 'default', 'web', {propagationPolicy: 'Foreground'})
    await sync('web')
    expect(await pods()).toHaveLength(3)
    expect((await t.registry.get(PODS, 'default', 'orphan')).metadata.ownerReferences).toBeUndefined()
    expect((await t.registry.get(PODS, 'default', mine.metadata.name!)).metadata.ownerReferences).toHaveLength(1)
    expect((await getRS('web')).status?.replicas).toBe(1)
  })

  it('counts available pods after minReadySeconds and asks to be woken when the next one becomes available', async () => {
    await createRS('web', 2, {minReadySeconds: 10})
    await sync('web')
    for (const pod of await pods()) await setPodStatus(t.registry, pod.metadata.name!, clock.now())
    expect(await sync('web')).toEqual({requeueAfterMs: 10_001})
    expect((await getRS('web')).status).toMatchObject({replicas: 2, readyReplicas: 2})
    expect((await getRS('web')).status?.availableReplicas).toBeUndefined()
    await clock.advance(10_001)
    expect(await sync('web')).toBeUndefined()
    expect((await getRS('web')).status?.availableReplicas).toBe(2)
  })

  it('follows the generation in observedGeneration', async () => {
    await createRS('web', 1)
    await sync('web')
    await scale('web', 2)
    await sync('web')
    expect((await getRS('web')).status?.observedGeneration).toBe(2)
  })

  it('creates in slow-start batches: a failing create stops the sync after the first pod, sets ReplicaFailure and clears it later', async () => {
    await createRS('web', 5)
    let attempts = 0
    let failing = true
    const flaky = new Proxy(t.registry, {
      get(target, prop, receiver) {
        if (prop !== 'create') return Reflect.get(target, prop, receiver)
        return (...args: Parameters<ObjectRegistry['create']>) => {
          if (args[0].kind !== 'Pod') return target.create(...args)
          attempts++
          if (failing) return Promise.reject(new ApiError(403, 'Forbidden', 'pods "web-" is forbidden: exceeded quota'))
          return target.create(...args)
        }
      },
    })
    const r = new ReplicaSetReconciler({registry: flaky, clock, recorder: {event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`)}})
    await expect(r.reconcile({namespace: 'default', name: 'web'}, signal)).rejects.toMatchObject({name: 'ReplicaSetSyncError', code: 'FailedCreate'})
    expect(attempts).toBe(1)
    expect(events).toEqual(['Warning FailedCreate Error creating: pods "web-" is forbidden: exceeded quota'])
    expect((await getRS('web')).status?.conditions).toMatchObject([{type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate'}])
    failing = false
    await r.reconcile({namespace: 'default', name: 'web'}, signal)
    expect(await pods()).toHaveLength(5)
    expect((await getRS('web')).status?.conditions).toBeUndefined()
  })

  it('returns quietly when the ReplicaSet does not exist', async () => {
    await expect(sync('missing')).resolves.toBeUndefined()
  })
})
