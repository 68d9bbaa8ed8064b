// Object metadata and concurrency rules on create/update/patch (kubectl-compat.md section 2):
// uid, creationTimestamp, generateName, resourceVersion, optimistic concurrency, generation and the
// spec/status split between the main resource and /status.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {CM_PATH, configMap, DEPLOY_PATH, deployment, mustCreate, RFC3339_SECONDS, rv, UUID_V4} from './objects.js'

const MERGE = 'application/merge-patch+json'
const JSON_PATCH = 'application/json-patch+json'
const STALE_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again'

let k: TestCluster
beforeAll(async () => {
  // API semantics of Deployments, with no controller writing their status meanwhile.
  k = await startTestCluster({disableControllers: ['deployment', 'replicaset-controller']})
})
afterAll(async () => {
  await k?.stop()
})

describe('create', () => {
  it('stamps uid, creationTimestamp and resourceVersion and answers 201 with kind and apiVersion', async () => {
    const name = uniqueName('cm')
    const before = await k.request('GET', CM_PATH('default'))
    const r = await k.request('POST', `${CM_PATH('default')}?fieldManager=kubectl-create&fieldValidation=Strict`, {body: configMap(name)})
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({kind: 'ConfigMap', apiVersion: 'v1', metadata: {name, namespace: 'default'}, data: {a: '1'}})
    expect(r.json.metadata.uid).toMatch(UUID_V4)
    expect(r.json.metadata.creationTimestamp).toMatch(RFC3339_SECONDS)
    expect(Math.abs(Date.parse(r.json.metadata.creationTimestamp) - Date.now())).toBeLessThan(5_000)
    expect(r.json.metadata.resourceVersion).toMatch(/^\d+$/)
    expect(rv(r.json)).toBeGreaterThan(Number(before.json.metadata.resourceVersion))
    // ConfigMaps have no spec, so no generation.
    expect(r.json.metadata.generation).toBeUndefined()
    const got = await k.request('GET', CM_PATH('default', name))
    expect(got.status).toBe(200)
    expect(got.json.metadata).toMatchObject({uid: r.json.metadata.uid, resourceVersion: r.json.metadata.resourceVersion})
  })

  it('ignores a client-supplied uid and gives a re-created object a new uid', async () => {
    const name = uniqueName('cm')
    const first = await mustCreate(k, CM_PATH('default'), configMap(name, {a: '1'}, {uid: '11111111-1111-4111-8111-111111111111'}))
    expect(first.metadata.uid).not.toBe('11111111-1111-4111-8111-111111111111')
    expect((await k.request('DELETE', CM_PATH('default', name))).status).toBe(200)
    const second = await mustCreate(k, CM_PATH('default'), configMap(name))
    expect(second.metadata.uid).toMatch(UUID_V4)
    expect(second.metadata.uid).not.toBe(first.metadata.uid)
  })

  it('starts generation at 1 for kinds with a spec', async () => {
    const d = await mustCreate(k, DEPLOY_PATH('default'), deployment(uniqueName('web')))
    expect(d.metadata.generation).toBe(1)
  })

  it('names an object from generateName plus five characters of the Kubernetes alphabet', async () => {
    const r = await k.request('POST', CM_PATH('default'), {body: {metadata: {generateName: 'gen-'}, data: {}}})
    expect(r.status).toBe(201)
    expect(r.json.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(r.json.metadata.generateName).toBe('gen-')
    expect((await k.request('GET', CM_PATH('default', r.json.metadata.name))).status).toBe(200)
  })

  it('refuses a second object with the same name with 409 AlreadyExists', async () => {
    const name = uniqueName('cm')
    await mustCreate(k, CM_PATH('default'), configMap(name))
    const r = await k.request('POST', CM_PATH('default'), {body: configMap(name)})
    expect(r.status).toBe(409)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'AlreadyExists', message: `configmaps "${name}" already exists`, details: {name, kind: 'configmaps'}})
  })

  it('answers a missing object with 404 naming the resource and group', async () => {
    const r = await k.request('GET', DEPLOY_PATH('default', 'no-such-deploy'))
    expect(r.status).toBe(404)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'NotFound', message: 'deployments.apps "no-such-deploy" not found', details: {name: 'no-such-deploy', group: 'apps', kind: 'deployments'}})
  })
})

describe('resourceVersion', () => {
  it('changes on every persisted write and not on a no-op PATCH', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const patch = {metadata: {labels: {tier: 'x'}}}
    const first = await k.request('PATCH', CM_PATH('default', name), {body: patch, contentType: MERGE})
    expect(first.status).toBe(200)
    expect(rv(first.json)).toBeGreaterThan(rv(created))
    const again = await k.request('PATCH', CM_PATH('default', name), {body: patch, contentType: MERGE})
    expect(again.status).toBe(200)
    expect(again.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion)
    const got = await k.request('GET', CM_PATH('default', name))
    expect(got.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion)
  })

  it('reports the store revision in list metadata, at least that of the newest object', async () => {
    const created = await mustCreate(k, CM_PATH('default'), configMap(uniqueName('cm')))
    const list = await k.request('GET', CM_PATH('default'))
    expect(list.json).toMatchObject({kind: 'ConfigMapList', apiVersion: 'v1'})
    expect(Number(list.json.metadata.resourceVersion)).toBeGreaterThanOrEqual(rv(created))
  })

  it('refuses a PUT carrying a stale resourceVersion with 409 Conflict and the exact message', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const bumped = await k.request('PATCH', CM_PATH('default', name), {body: {data: {a: '2'}}, contentType: MERGE})
    expect(bumped.status).toBe(200)
    const r = await k.request('PUT', CM_PATH('default', name), {body: {...created, data: {a: 'stale'}}})
    expect(r.status).toBe(409)
    expect(r.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: `Operation cannot be fulfilled on configmaps "${name}": ${STALE_MESSAGE}`,
      details: {name, kind: 'configmaps'},
    })
    expect((await k.request('GET', CM_PATH('default', name))).json.data).toEqual({a: '2'})
  })

  it('names the group in the conflict message for grouped resources', async () => {
    const name = uniqueName('web')
    const created = await mustCreate(k, DEPLOY_PATH('default'), deployment(name))
    await k.request('PATCH', DEPLOY_PATH('default', name), {body: {spec: {replicas: 2}}, contentType: MERGE})
    const r = await k.request('PUT', DEPLOY_PATH('default', name), {body: {...created, spec: {...created.spec, replicas: 5}}})
    expect(r.status).toBe(409)
    expect(r.json.message).toBe(`Operation cannot be fulfilled on deployments.apps "${name}": ${STALE_MESSAGE}`)
  })

  it('treats a PUT without resourceVersion as unconditional', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    await k.request('PATCH', CM_PATH('default', name), {body: {data: {a: '2'}}, contentType: MERGE})
    const {resourceVersion: _drop, ...meta} = created.metadata
    const r = await k.request('PUT', CM_PATH('default', name), {body: {...created, metadata: meta, data: {a: 'forced'}}})
    expect(r.status).toBe(200)
    expect(r.json.data).toEqual({a: 'forced'})
    expect(r.json.metadata.uid).toBe(created.metadata.uid)
    expect((await k.request('GET', CM_PATH('default', name))).json.data).toEqual({a: 'forced'})
  })

  it('refuses a JSON patch whose result carries a different resourceVersion with 409', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    await k.request('PATCH', CM_PATH('default', name), {body: {data: {a: '2'}}, contentType: MERGE})
    const r = await k.request('PATCH', CM_PATH('default', name), {
      body: [
        {op: 'replace', path: '/data/a', value: 'from-stale'},
        {op: 'replace', path: '/metadata/resourceVersion', value: created.metadata.resourceVersion},
      ],
      contentType: JSON_PATCH,
    })
    expect(r.status).toBe(409)
    expect(r.json).toMatchObject({reason: 'Conflict', message: `Operation cannot be fulfilled on configmaps "${name}": ${STALE_MESSAGE}`})
    expect((await k.request('GET', CM_PATH('default', name))).json.data).toEqual({a: '2'})
  })

  it('accepts a patch whose result carries the current resourceVersion', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const r = await k.request('PATCH', CM_PATH('default', name), {
      body: {metadata: {resourceVersion: created.metadata.resourceVersion}, data: {a: 'guarded'}},
      contentType: MERGE,
    })
    expect(r.status).toBe(200)
    expect(r.json.data).toEqual({a: 'guarded'})
  })
})

describe('generation and the status subresource', () => {
  it('bumps generation on spec changes only, not on label changes or /status writes', async () => {
    const name = uniqueName('web')
    const created = await mustCreate(k, DEPLOY_PATH('default'), deployment(name))
    expect(created.metadata.generation).toBe(1)

    const scaled = await k.request('PATCH', DEPLOY_PATH('default', name), {body: {spec: {replicas: 3}}, contentType: MERGE})
    expect(scaled.status).toBe(200)
    expect(scaled.json.metadata.generation).toBe(2)

    const labelled = await k.request('PATCH', DEPLOY_PATH('default', name), {body: {metadata: {labels: {extra: 'yes'}}}, contentType: MERGE})
    expect(labelled.status).toBe(200)
    expect(rv(labelled.json)).toBeGreaterThan(rv(scaled.json))
    expect(labelled.json.metadata.generation).toBe(2)

    const status = await k.request('PATCH', `${DEPLOY_PATH('default', name)}/status`, {body: {status: {observedGeneration: 2, replicas: 1}}, contentType: MERGE})
    expect(status.status).toBe(200)
    expect(rv(status.json)).toBeGreaterThan(rv(labelled.json))
    expect(status.json.metadata.generation).toBe(2)
    expect(status.json.status).toMatchObject({observedGeneration: 2, replicas: 1})
  })

  it('ignores spec changes sent through a /status PATCH', async () => {
    const name = uniqueName('web')
    await mustCreate(k, DEPLOY_PATH('default'), deployment(name, 1))
    const r = await k.request('PATCH', `${DEPLOY_PATH('default', name)}/status`, {body: {spec: {replicas: 7}, status: {replicas: 1}}, contentType: MERGE})
    expect(r.status).toBe(200)
    expect(r.json.spec.replicas).toBe(1)
    expect(r.json.status.replicas).toBe(1)
    const got = await k.request('GET', DEPLOY_PATH('default', name))
    expect(got.json.spec.replicas).toBe(1)
    expect(got.json.metadata.generation).toBe(1)
  })

  it('ignores spec changes sent through a /status PUT', async () => {
    const name = uniqueName('web')
    const created = await mustCreate(k, DEPLOY_PATH('default'), deployment(name, 1))
    const r = await k.request('PUT', `${DEPLOY_PATH('default', name)}/status`, {
      body: {...created, spec: {...created.spec, replicas: 9}, status: {replicas: 1, observedGeneration: 1}},
    })
    expect(r.status).toBe(200)
    expect(r.json.spec.replicas).toBe(1)
    expect(r.json.status).toMatchObject({replicas: 1, observedGeneration: 1})
    expect(r.json.metadata.generation).toBe(1)
  })

  it('serves GET on /status with the whole object', async () => {
    const name = uniqueName('web')
    await mustCreate(k, DEPLOY_PATH('default'), deployment(name))
    const r = await k.request('GET', `${DEPLOY_PATH('default', name)}/status`)
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({kind: 'Deployment', apiVersion: 'apps/v1', metadata: {name}, spec: {replicas: 1}})
  })

  it('ignores status changes sent to the main resource, by PATCH and by PUT', async () => {
    const name = uniqueName('web')
    await mustCreate(k, DEPLOY_PATH('default'), deployment(name))
    const withStatus = await k.request('PATCH', `${DEPLOY_PATH('default', name)}/status`, {body: {status: {replicas: 1}}, contentType: MERGE})
    expect(withStatus.status).toBe(200)

    const patched = await k.request('PATCH', DEPLOY_PATH('default', name), {body: {status: {replicas: 5}}, contentType: MERGE})
    expect(patched.status).toBe(200)
    expect(patched.json.status.replicas).toBe(1)
    // Only status was sent, so nothing was written.
    expect(patched.json.metadata.resourceVersion).toBe(withStatus.json.metadata.resourceVersion)

    const put = await k.request('PUT', DEPLOY_PATH('default', name), {body: {...withStatus.json, spec: {...withStatus.json.spec, replicas: 2}, status: {replicas: 42}}})
    expect(put.status).toBe(200)
    expect(put.json.spec.replicas).toBe(2)
    expect(put.json.status.replicas).toBe(1)
    expect((await k.request('GET', DEPLOY_PATH('default', name))).json.status.replicas).toBe(1)
  })
})
