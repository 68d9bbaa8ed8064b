// What the server does with request bodies and request context: dry runs, namespace rules, field
// validation modes, malformed and oversized bodies, and kubectl's protobuf create.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {CM_PATH, configMap, createNamespace, DEPLOY_PATH, deployment, mustCreate, NS_PATH} from './objects.js'

const MERGE = 'application/merge-patch+json'

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster()
})
afterAll(async () => {
  await k?.stop()
})

describe('dryRun=All', () => {
  it('returns the would-be object of a create without persisting it', async () => {
    const name = uniqueName('cm')
    const r = await k.request('POST', `${CM_PATH('default')}?dryRun=All&fieldManager=kubectl-create`, {body: configMap(name)})
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({kind: 'ConfigMap', metadata: {name, namespace: 'default'}, data: {a: '1'}})
    expect(r.json.metadata.uid).toBeTruthy()
    expect((await k.request('GET', CM_PATH('default', name))).status).toBe(404)
  })

  it('returns the patched object without persisting the patch', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const r = await k.request('PATCH', `${CM_PATH('default', name)}?dryRun=All`, {body: {data: {a: 'dry'}}, contentType: MERGE})
    expect(r.status).toBe(200)
    expect(r.json.data).toEqual({a: 'dry'})
    const got = await k.request('GET', CM_PATH('default', name))
    expect(got.json.data).toEqual({a: '1'})
    expect(got.json.metadata.resourceVersion).toBe(created.metadata.resourceVersion)
  })

  it('answers a dry-run delete without removing the object', async () => {
    const name = uniqueName('cm')
    const created = await mustCreate(k, CM_PATH('default'), configMap(name))
    const r = await k.request('DELETE', `${CM_PATH('default', name)}?dryRun=All`, {body: {propagationPolicy: 'Background'}})
    expect(r.status).toBe(200)
    const got = await k.request('GET', CM_PATH('default', name))
    expect(got.status).toBe(200)
    expect(got.json.metadata.resourceVersion).toBe(created.metadata.resourceVersion)
    expect(got.json.metadata.deletionTimestamp).toBeUndefined()
  })

  it('honours dryRun given in the DeleteOptions body', async () => {
    const name = uniqueName('cm')
    await mustCreate(k, CM_PATH('default'), configMap(name))
    const r = await k.request('DELETE', CM_PATH('default', name), {body: {dryRun: ['All']}})
    expect(r.status).toBe(200)
    expect((await k.request('GET', CM_PATH('default', name))).status).toBe(200)
  })
})

describe('namespaces in requests', () => {
  it('refuses a body namespace that disagrees with the URL with 400', async () => {
    const r = await k.request('POST', CM_PATH('default'), {body: configMap(uniqueName('cm'), {}, {namespace: 'kube-system'})})
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request'})
  })

  it('defaults the namespace from the URL', async () => {
    const created = await mustCreate(k, CM_PATH('kube-public'), configMap(uniqueName('cm')))
    expect(created.metadata.namespace).toBe('kube-public')
  })

  it('answers a create in a missing namespace with 404 naming the namespace', async () => {
    const r = await k.request('POST', CM_PATH('no-such-ns'), {body: configMap(uniqueName('cm'))})
    expect(r.status).toBe(404)
    expect(r.json).toMatchObject({reason: 'NotFound', message: 'namespaces "no-such-ns" not found'})
  })

  it("refuses a create in a Terminating namespace with 403 and Kubernetes' message", async () => {
    const ns = uniqueName('term')
    await createNamespace(k, ns)
    // A finalizer on the content holds the namespace in Terminating for as long as the test needs.
    await mustCreate(k, CM_PATH(ns), configMap('held', {}, {finalizers: ['example.com/hold']}))
    const del = await k.request('DELETE', NS_PATH(ns), {body: {propagationPolicy: 'Background'}})
    expect(del.status).toBe(200)
    expect(del.json.status.phase).toBe('Terminating')

    const name = uniqueName('cm')
    const r = await k.request('POST', CM_PATH(ns), {body: configMap(name)})
    expect(r.status).toBe(403)
    expect(r.json).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: `configmaps "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      details: {name, kind: 'configmaps'},
    })
    expect(r.json.details.causes).toContainEqual({reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace'})
    const grouped = await k.request('POST', DEPLOY_PATH(ns), {body: deployment('web')})
    expect(grouped.status).toBe(403)
    expect(grouped.json.message).toBe(`deployments.apps "web" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`)

    // Release the finalizer: the namespace then finishes deleting.
    expect((await k.request('PATCH', CM_PATH(ns, 'held'), {body: {metadata: {finalizers: null}}, contentType: MERGE})).status).toBe(200)
    await eventually(async () => (await k.request('GET', NS_PATH(ns))).status === 404, `namespace ${ns} to go away`)
  })
})

describe('field validation', () => {
  const withUnknown = (name: string) => {
    const d = deployment(name) as ReturnType<typeof deployment> & {spec: Record<string, unknown>}
    d.spec.foo = 'bar'
    return d
  }

  it('refuses an unknown field with 400 strict decoding error under fieldValidation=Strict', async () => {
    const name = uniqueName('web')
    const r = await k.request('POST', `${DEPLOY_PATH('default')}?fieldValidation=Strict`, {body: withUnknown(name)})
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'BadRequest', code: 400})
    expect(r.json.message).toContain('strict decoding error: unknown field "spec.foo"')
    expect((await k.request('GET', DEPLOY_PATH('default', name))).status).toBe(404)
  })

  it('creates with a Warning header for an unknown field under fieldValidation=Warn', async () => {
    const name = uniqueName('web')
    const r = await k.request('POST', `${DEPLOY_PATH('default')}?fieldValidation=Warn`, {body: withUnknown(name)})
    expect(r.status).toBe(201)
    expect(String(r.headers.warning)).toBe('299 - "unknown field \\"spec.foo\\""')
  })

  // The real server decodes into the typed Go struct, which has nowhere to keep an unknown field.
  it('drops unknown fields from the stored object under Warn and Ignore', async () => {
    for (const mode of ['Warn', 'Ignore']) {
      const name = uniqueName('web')
      const r = await k.request('POST', `${DEPLOY_PATH('default')}?fieldValidation=${mode}`, {body: withUnknown(name)})
      expect(r.status, mode).toBe(201)
      expect(r.json.spec.foo, mode).toBeUndefined()
      expect((await k.request('GET', DEPLOY_PATH('default', name))).json.spec.foo, mode).toBeUndefined()
    }
  })

  it('creates silently with fieldValidation=Ignore', async () => {
    const r = await k.request('POST', `${DEPLOY_PATH('default')}?fieldValidation=Ignore`, {body: withUnknown(uniqueName('web'))})
    expect(r.status).toBe(201)
    expect(r.headers.warning).toBeUndefined()
  })

  it('refuses a value of the wrong JSON type with 400 whatever the validation mode', async () => {
    const name = uniqueName('web')
    const body = deployment(name) as {spec: Record<string, unknown>}
    body.spec.replicas = 'three'
    for (const mode of ['Strict', 'Ignore']) {
      const r = await k.request('POST', `${DEPLOY_PATH('default')}?fieldValidation=${mode}`, {body})
      expect(r.status, mode).toBe(400)
      expect(r.json.reason).toBe('BadRequest')
      expect(r.json.message).toContain('replicas')
    }
    expect((await k.request('GET', DEPLOY_PATH('default', name))).status).toBe(404)
  })

  it('refuses an unknown fieldValidation value with 400', async () => {
    const r = await k.request('POST', `${CM_PATH('default')}?fieldValidation=Loose`, {body: configMap(uniqueName('cm'))})
    expect(r.status).toBe(400)
  })
})

describe('malformed and oversized bodies', () => {
  it('refuses malformed JSON with 400', async () => {
    const r = await k.request('POST', CM_PATH('default'), {body: '{"metadata": {"name": "broken"', contentType: 'application/json'})
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'BadRequest'})
  })

  it('refuses a JSON array as an object body with 400', async () => {
    const r = await k.request('POST', CM_PATH('default'), {body: '[]'})
    expect(r.status).toBe(400)
  })

  it('refuses a body over 3 MiB with 413 and persists nothing', async () => {
    const name = uniqueName('big')
    const body = JSON.stringify(configMap(name, {big: 'x'.repeat(3 * 1024 * 1024)}))
    const r = await k.request('POST', CM_PATH('default'), {body})
    expect(r.status).toBe(413)
    expect(r.json).toMatchObject({kind: 'Status', code: 413})
    expect((await k.request('GET', CM_PATH('default', name))).status).toBe(404)
  })

  it('accepts a body just under 1 MiB of data', async () => {
    const r = await k.request('POST', CM_PATH('default'), {body: configMap(uniqueName('cm'), {v: 'y'.repeat(512 * 1024)})})
    expect(r.status).toBe(201)
  })

  it('treats a POST without Content-Type as JSON', async () => {
    const name = uniqueName('cm')
    const r = await k.request('POST', CM_PATH('default'), {body: configMap(name), contentType: null})
    expect(r.status).toBe(201)
    expect(r.json.metadata.name).toBe(name)
  })

  it('refuses an unknown body media type with 415', async () => {
    const r = await k.request('POST', CM_PATH('default'), {body: 'name: x', contentType: 'text/plain'})
    expect(r.status).toBe(415)
    expect(r.json.reason).toBe('UnsupportedMediaType')
  })
})

describe('protobuf bodies', () => {
  it("creates a Namespace from kubectl's captured protobuf request", async () => {
    const captures = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/protobuf/captures.json'), 'utf8')) as Array<{name: string; url: string; hex: string}>
    const ns = captures.find((c) => c.name === 'namespace')!
    const r = await k.request('POST', ns.url, {body: Buffer.from(ns.hex, 'hex'), contentType: 'application/vnd.kubernetes.protobuf', accept: 'application/json'})
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({kind: 'Namespace', apiVersion: 'v1', metadata: {name: 'ns1'}})
    expect(r.json.metadata.uid).toBeTruthy()
    const got = await k.request('GET', NS_PATH('ns1'))
    expect(got.status).toBe(200)
    expect(got.json.status.phase).toBe('Active')
  })

  it('refuses a protobuf body that is not a Kubernetes envelope with 400', async () => {
    const r = await k.request('POST', NS_PATH(), {body: Buffer.from('not protobuf'), contentType: 'application/vnd.kubernetes.protobuf'})
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(r.status).toBeLessThan(500)
  })
})
