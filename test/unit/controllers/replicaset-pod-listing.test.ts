import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {listPods} from '../../../src/cluster/controllers/replicaset-pod-listing.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {openTestRegistry, PODS, podManifest, type TestRegistry} from './replicaset-fixtures.js'

const ref = (uid: string, controller: boolean) => ({apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller})

describe('listPods', () => {
  let t: TestRegistry
  beforeEach(async () => {
    t = await openTestRegistry(new ManualClock())
    const create = (name: string, metadata: Record<string, unknown> = {}) => t.registry.create(PODS, 'default', podManifest(name, {app: 'x'}, metadata), {manager: 'test'})
    await create('mine', {ownerReferences: [ref('uid-mine', true)]})
    await create('theirs', {ownerReferences: [ref('uid-theirs', true)]})
    await create('orphan')
    // Text that looks like a controller reference, inside an annotation value, is not one.
    await create('tricky-orphan', {annotations: {note: '{"controller":true}'}})
    await create('non-controller-ref', {ownerReferences: [ref('uid-mine', false)]})
    // Our uid mentioned, but controlled by someone else.
    await create('mentions-mine', {ownerReferences: [ref('uid-theirs', true)], annotations: {note: 'uid-mine'}})
  })
  afterEach(async () => t.store.close())

  const names = (pods: Array<{metadata?: {name?: string}}>) => pods.map((p) => p.metadata?.name).sort()

  it('returns the pods controlled by the given owners and the orphans', async () => {
    expect(names(await listPods(t.registry, 'default', {controllers: new Set(['uid-mine']), orphans: true}))).toEqual(['mine', 'non-controller-ref', 'orphan', 'tricky-orphan'])
  })

  it('leaves orphans out when not asked for them', async () => {
    expect(names(await listPods(t.registry, 'default', {controllers: new Set(['uid-mine', 'uid-theirs']), orphans: false}))).toEqual(['mentions-mine', 'mine', 'theirs'])
  })

  it('returns complete pods with type metadata and a resourceVersion', async () => {
    const [pod] = await listPods(t.registry, 'default', {controllers: new Set(['uid-mine']), orphans: false})
    expect(pod).toMatchObject({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'mine', namespace: 'default'}})
    expect(pod.metadata?.resourceVersion).toMatch(/^\d+$/)
  })
})
