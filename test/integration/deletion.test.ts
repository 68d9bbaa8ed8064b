// Deletion semantics (kubectl-compat.md section 2): finalizers, preconditions, graceful pod
// termination finished by the node agent, and namespace deletion with its content.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {CM_PATH, configMap, createNamespace, mustCreate, NS_PATH, pod, POD_PATH, rv} from './objects.js'

const MERGE = 'application/merge-patch+json'
const byName = (name: string) => `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster()
})
afterAll(async () => {
  await k?.stop()
})

async function runningPod(ns: string, name: string, spec: Record<string, unknown> = {}) {
  await mustCreate(k, POD_PATH(ns), pod(name, {}, spec))
  return eventually(async () => {
    const r = await k.request('GET', POD_PATH(ns, name))
    return r.json?.status?.phase === 'Running' && r.json.spec.nodeName ? r.json : undefined
  }, `pod ${name} to run`)
}

describe('finalizers', () => {
  it('keeps an object with deletionTimestamp until its finalizers are removed, then emits DELETED', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name, {a: '1'}, {finalizers: ['example.com/hold']}))
    const watch = await k.watch(`${CM_PATH('default')}?watch=true&resourceVersion=${created.metadata.resourceVersion}&${byName(name)}`)
    try {
      const del = await k.request('DELETE', CM_PATH('default', name), {body: {propagationPolicy: 'Background'}})
      expect(del.status).toBe(200)
      expect(del.json).toMatchObject({kind: 'ConfigMap', metadata: {name, finalizers: ['example.com/hold']}})
      expect(del.json.metadata.deletionTimestamp).toBeTruthy()
      expect(rv(del.json)).toBeGreaterThan(rv(created))

      const marked = await watch.next()
      expect(marked.type).toBe('MODIFIED')
      expect(marked.object.metadata.deletionTimestamp).toBe(del.json.metadata.deletionTimestamp)

      const still = await k.request('GET', CM_PATH('default', name))
      expect(still.status).toBe(200)
      expect(still.json.metadata.deletionTimestamp).toBe(del.json.metadata.deletionTimestamp)

      // A second DELETE changes nothing while the finalizer holds.
      const again = await k.request('DELETE', CM_PATH('default', name))
      expect(again.status).toBe(200)
      expect(again.json.metadata.resourceVersion).toBe(del.json.metadata.resourceVersion)

      const released = await k.request('PATCH', CM_PATH('default', name), {body: {metadata: {finalizers: null}}, contentType: MERGE})
      expect(released.status).toBe(200)
      const gone = await watch.next()
      expect(gone.type).toBe('DELETED')
      expect(gone.object.metadata.name).toBe(name)
      expect(rv(gone.object)).toBeGreaterThan(rv(del.json))
      expect((await k.request('GET', CM_PATH('default', name))).status).toBe(404)
    } finally {
      watch.close()
    }
  })

  it('refuses to add a finalizer to an object being deleted with 422 Invalid', async () => {
    const name = uniqueName('cm')
    await mustCreate(k, CM_PATH('default'), configMap(name, {}, {finalizers: ['example.com/a']}))
    expect((await k.request('DELETE', CM_PATH('default', name))).status).toBe(200)
    const r = await k.request('PATCH', CM_PATH('default', name), {body: {metadata: {finalizers: ['example.com/a', 'example.com/b']}}, contentType: MERGE})
    expect(r.status).toBe(422)
    // NewInvalid names the kind (not the resource) in details.
    expect(r.json).toMatchObject({kind: 'Status', reason: 'Invalid', code: 422, details: {name, kind: 'ConfigMap'}})
    expect(r.json.message).toMatch(new RegExp(`^ConfigMap "${name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`))
    expect(r.json.details.causes).toContainEqual(expect.objectContaining({reason: 'FieldValueForbidden', field: 'metadata.finalizers'}))
    expect((await k.request('GET', CM_PATH('default', name))).json.metadata.finalizers).toEqual(['example.com/a'])
    await k.request('PATCH', CM_PATH('default', name), {body: {metadata: {finalizers: null}}, contentType: MERGE})
  })
})

describe('preconditions', () => {
  it('refuses a DELETE whose uid precondition does not match with 409 and keeps the object', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const wrongUid = '00000000-0000-4000-8000-000000000000'
    const r = await k.request('DELETE', CM_PATH('default', name), {body: {preconditions: {uid: wrongUid}}})
    expect(r.status).toBe(409)
    expect(r.json).toMatchObject({
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on configmaps "${name}": Precondition failed: UID in precondition: ${wrongUid}, UID in object meta: ${created.metadata.uid}`,
    })
    expect((await k.request('GET', CM_PATH('default', name))).status).toBe(200)
  })

  it('refuses a DELETE whose resourceVersion precondition is stale with 409 and keeps the object', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const updated = await k.request('PATCH', CM_PATH('default', name), {body: {data: {a: '2'}}, contentType: MERGE})
    const r = await k.request('DELETE', CM_PATH('default', name), {body: {preconditions: {resourceVersion: created.metadata.resourceVersion}}})
    expect(r.status).toBe(409)
    expect(r.json).toMatchObject({
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on configmaps "${name}": Precondition failed: ResourceVersion in precondition: ${created.metadata.resourceVersion}, ResourceVersion in object meta: ${updated.json.metadata.resourceVersion}`,
    })
    expect((await k.request('GET', CM_PATH('default', name))).status).toBe(200)
  })

  it('deletes when the preconditions match, answering with a Success Status or the last object', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const r = await k.request('DELETE', CM_PATH('default', name), {body: {preconditions: {uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion}}})
    expect(r.status).toBe(200)
    if (r.json.kind === 'Status') expect(r.json).toMatchObject({status: 'Success', details: {name, kind: 'configmaps', uid: created.metadata.uid}})
    else expect(r.json.metadata.uid).toBe(created.metadata.uid)
    expect((await k.request('GET', CM_PATH('default', name))).status).toBe(404)
  })
})

describe('pods', () => {
  it('keeps a bound pod Terminating with deletionTimestamp now+grace until the agent finishes, then removes it', async () => {
    const name = uniqueName('pod')
    const running = await runningPod('default', name)
    const watch = await k.watch(`${POD_PATH('default')}?watch=true&resourceVersion=${running.metadata.resourceVersion}&${byName(name)}`)
    try {
      const before = Date.now()
      const del = await k.request('DELETE', POD_PATH('default', name), {body: {gracePeriodSeconds: 30, propagationPolicy: 'Background'}})
      expect(del.status).toBe(200)
      expect(del.json.kind).toBe('Pod')
      expect(del.json.metadata.deletionGracePeriodSeconds).toBe(30)
      const deadline = Date.parse(del.json.metadata.deletionTimestamp)
      // RFC3339 has whole seconds, so allow one second of truncation either way.
      expect(deadline).toBeGreaterThanOrEqual(before + 30_000 - 1_000)
      expect(deadline).toBeLessThanOrEqual(Date.now() + 30_000 + 1_000)

      const events = await watch.collect((e) => e.type === 'DELETED')
      const terminating = events.find((e) => e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp)
      expect(terminating, 'a MODIFIED event showing the pod Terminating').toBeDefined()
      expect(terminating!.object.metadata.deletionTimestamp).toBe(del.json.metadata.deletionTimestamp)
      const deleted = events.at(-1)!
      expect(deleted.object.metadata.uid).toBe(running.metadata.uid)
      expect((await k.request('GET', POD_PATH('default', name))).status).toBe(404)
    } finally {
      watch.close()
    }
  })

  it('removes a bound pod at once with gracePeriodSeconds=0', async () => {
    const name = uniqueName('pod')
    await runningPod('default', name)
    const r = await k.request('DELETE', POD_PATH('default', name), {body: {gracePeriodSeconds: 0, propagationPolicy: 'Background'}})
    expect(r.status).toBe(200)
    expect((await k.request('GET', POD_PATH('default', name))).status).toBe(404)
  })

  it('removes a pod that was never bound at once', async () => {
    const name = uniqueName('pod')
    // A scheduling gate keeps the binder away, so the pod stays unbound.
    await mustCreate(k, POD_PATH('default'), pod(name, {}, {schedulingGates: [{name: 'example.com/gate'}]}))
    const r = await k.request('DELETE', POD_PATH('default', name))
    expect(r.status).toBe(200)
    expect((await k.request('GET', POD_PATH('default', name))).status).toBe(404)
  })
})

describe('namespaces', () => {
  it('goes Terminating on DELETE, then its content and finally itself disappear', async () => {
    const ns = uniqueName('doomed')
    const created = await createNamespace(k, ns)
    expect(created.spec.finalizers).toEqual(['kubernetes'])
    await mustCreate(k, CM_PATH(ns), configMap('c1'))
    await runningPod(ns, 'p1')
    const watch = await k.watch(`${NS_PATH()}?watch=true&resourceVersion=${created.metadata.resourceVersion}&${byName(ns)}`)
    try {
      const del = await k.request('DELETE', NS_PATH(ns), {body: {propagationPolicy: 'Background'}})
      expect(del.status).toBe(200)
      expect(del.json.status.phase).toBe('Terminating')
      expect(del.json.metadata.deletionTimestamp).toBeTruthy()

      const events = await watch.collect((e) => e.type === 'DELETED', 15_000)
      expect(events[0].type).toBe('MODIFIED')
      expect(events[0].object.status.phase).toBe('Terminating')
      expect(events.at(-1)!.object.metadata.name).toBe(ns)
      expect((await k.request('GET', CM_PATH(ns, 'c1'))).status).toBe(404)
      expect((await k.request('GET', POD_PATH(ns, 'p1'))).status).toBe(404)
      expect((await k.request('GET', NS_PATH(ns))).status).toBe(404)
    } finally {
      watch.close()
    }
  })
})
