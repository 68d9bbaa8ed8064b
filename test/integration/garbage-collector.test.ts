// Deletion propagation through ownerReferences, on ConfigMaps (the collector is generic over kinds).
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'

const CMS = '/api/v1/namespaces/default/configmaps'

interface Meta {
  name: string
  uid: string
  deletionTimestamp?: string
  finalizers?: string[]
  ownerReferences?: Array<{uid: string}>
}

describe('garbage collector', () => {
  let k: TestCluster
  beforeAll(async () => {
    k = await startTestCluster()
  })
  afterAll(async () => k?.stop())

  async function create(name: string, owners: Meta[] = [], block = false): Promise<Meta> {
    const ownerReferences = owners.map((o) => ({apiVersion: 'v1', kind: 'ConfigMap', name: o.name, uid: o.uid, ...(block ? {blockOwnerDeletion: true} : {})}))
    const r = await k.request('POST', CMS, {body: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, ...(owners.length ? {ownerReferences} : {})}}})
    expect(r.status).toBe(201)
    return (r.json as {metadata: Meta}).metadata
  }
  const get = async (name: string) => {
    const r = await k.request('GET', `${CMS}/${name}`)
    return r.status === 404 ? undefined : (r.json as {metadata: Meta}).metadata
  }
  const remove = (name: string, propagationPolicy?: string) =>
    k.request('DELETE', `${CMS}/${name}`, {body: propagationPolicy ? {propagationPolicy} : {}})

  it('deletes dependents after their owner is deleted in the background', async () => {
    const owner = await create(uniqueName('bg-owner'))
    const kids = [await create(uniqueName('bg-kid'), [owner]), await create(uniqueName('bg-kid'), [owner])]
    expect((await remove(owner.name)).status).toBe(200)
    await eventually(async () => (await Promise.all(kids.map((c) => get(c.name)))).every((c) => !c), 'dependents collected')
  })

  it('orphans dependents: their references go, they stay, and the owner goes', async () => {
    const owner = await create(uniqueName('or-owner'))
    const kid = await create(uniqueName('or-kid'), [owner])
    const r = await remove(owner.name, 'Orphan')
    expect((r.json as {metadata: Meta}).metadata.finalizers).toContain('orphan')
    await eventually(async () => !(await get(owner.name)), 'owner deleted')
    const after = await get(kid.name)
    expect(after?.uid).toBe(kid.uid)
    expect(after?.ownerReferences).toBeUndefined()
  })

  it('deletes blocking dependents first in the foreground, holding the owner until they are gone', async () => {
    const owner = await create(uniqueName('fg-owner'))
    const kid = await create(uniqueName('fg-kid'), [owner], true)
    // A finalizer on the dependent keeps it (and therefore the owner) around until we release it.
    await k.request('PATCH', `${CMS}/${kid.name}`, {body: {metadata: {finalizers: ['example.com/hold']}}, contentType: 'application/merge-patch+json'})
    const r = await remove(owner.name, 'Foreground')
    expect((r.json as {metadata: Meta}).metadata.finalizers).toContain('foregroundDeletion')
    await eventually(async () => Boolean((await get(kid.name))?.deletionTimestamp), 'dependent marked for deletion')
    await new Promise((res) => setTimeout(res, 300))
    expect((await get(owner.name))?.deletionTimestamp).toBeTruthy()
    await k.request('PATCH', `${CMS}/${kid.name}`, {body: [{op: 'remove', path: '/metadata/finalizers'}], contentType: 'application/json-patch+json'})
    await eventually(async () => !(await get(kid.name)) && !(await get(owner.name)), 'dependent, then owner, deleted')
  })

  it('keeps a dependent that still has a live owner and drops the reference to the gone one', async () => {
    const a = await create(uniqueName('two-a'))
    const b = await create(uniqueName('two-b'))
    const kid = await create(uniqueName('two-kid'), [a, b])
    await remove(a.name)
    await eventually(async () => (await get(kid.name))?.ownerReferences?.length === 1, 'reference to a removed')
    expect((await get(kid.name))?.ownerReferences?.[0].uid).toBe(b.uid)
  })

  it('deletes a dependent whose owner never existed (dangling reference)', async () => {
    const ghost = {name: uniqueName('ghost'), uid: '00000000-0000-4000-8000-000000000000'}
    const kid = await create(uniqueName('dangling'), [ghost])
    await eventually(async () => !(await get(kid.name)), 'dangling dependent collected')
  })

  it('leaves objects without owners alone', async () => {
    const lone = await create(uniqueName('lone'))
    await new Promise((res) => setTimeout(res, 300))
    expect((await get(lone.name))?.uid).toBe(lone.uid)
  })
})
