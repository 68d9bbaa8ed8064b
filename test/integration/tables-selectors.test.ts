// Server-side Tables for `kubectl get` and the label/field selectors lists accept
// (kubectl-compat.md sections 1.5 and 5).
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, NODE_NAME, startTestCluster, TABLE_ACCEPT, uniqueName, type TestCluster} from './harness.js'
import {CM_PATH, configMap, createNamespace, DEPLOY_PATH, deployment, mustCreate, NS_PATH, pod, POD_PATH} from './objects.js'

const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io'
const MERGE = 'application/merge-patch+json'
const POD_COLUMNS = ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']

let k: TestCluster
let ns: string
let running: any
beforeAll(async () => {
  // The root CA publisher would add kube-root-ca.crt to every namespace these ConfigMap listings read.
  k = await startTestCluster({disableControllers: ['root-ca-cert-publisher']})
  ns = uniqueName('tables')
  await createNamespace(k, ns)
  await mustCreate(k, POD_PATH(ns), pod('web', {labels: {app: 'web'}}))
  running = await eventually(async () => {
    const r = await k.request('GET', POD_PATH(ns, 'web'))
    return r.json?.status?.phase === 'Running' && r.json.status.podIP ? r.json : undefined
  }, 'pod web to run')
})
afterAll(async () => {
  await k?.stop()
})

const names = (list: {items: Array<{metadata: {name: string}}>}) => list.items.map((i) => i.metadata.name).sort()

describe('Table responses', () => {
  it('lists pods as a Table with the real columns and PartialObjectMetadata rows', async () => {
    const r = await k.request('GET', `${POD_PATH(ns)}?limit=500`, {accept: TABLE_ACCEPT})
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe(TABLE_TYPE)
    expect(r.json).toMatchObject({kind: 'Table', apiVersion: 'meta.k8s.io/v1'})
    expect(r.json.metadata.resourceVersion).toMatch(/^\d+$/)
    const cols = r.json.columnDefinitions
    expect(cols.map((c: {name: string}) => c.name)).toEqual(POD_COLUMNS)
    expect(cols.map((c: {priority: number}) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1])
    expect(cols[0]).toMatchObject({name: 'Name', type: 'string', format: 'name'})
    expect(r.json.rows).toHaveLength(1)
    const [row] = r.json.rows
    expect(row.cells).toHaveLength(POD_COLUMNS.length)
    expect(row.cells.slice(0, 4)).toEqual(['web', '1/1', 'Running', '0'])
    expect(row.cells[4]).toMatch(/^\d+s$/)
    expect(row.cells.slice(5)).toEqual([running.status.podIP, NODE_NAME, '<none>', '<none>'])
    expect(row.object).toMatchObject({kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {name: 'web', namespace: ns, labels: {app: 'web'}, uid: running.metadata.uid}})
    expect(row.object.spec).toBeUndefined()
  })

  it('embeds the whole object in rows with includeObject=Object', async () => {
    const r = await k.request('GET', `${POD_PATH(ns)}?includeObject=Object`, {accept: TABLE_ACCEPT})
    expect(r.status).toBe(200)
    expect(r.json.rows[0].object).toMatchObject({kind: 'Pod', apiVersion: 'v1', metadata: {name: 'web'}, spec: {nodeName: NODE_NAME}})
  })

  it('omits row objects with includeObject=None', async () => {
    const r = await k.request('GET', `${POD_PATH(ns)}?includeObject=None`, {accept: TABLE_ACCEPT})
    expect(r.status).toBe(200)
    expect(r.json.rows[0].cells[0]).toBe('web')
    expect(r.json.rows[0].object?.metadata).toBeUndefined()
  })

  it('answers a single GET with a one-row Table', async () => {
    const r = await k.request('GET', POD_PATH(ns, 'web'), {accept: TABLE_ACCEPT})
    expect(r.status).toBe(200)
    expect(r.json.kind).toBe('Table')
    expect(r.json.rows).toHaveLength(1)
    expect(r.json.rows[0].cells[0]).toBe('web')
  })

  it('answers plain JSON lists when Table is not asked for', async () => {
    const r = await k.request('GET', POD_PATH(ns), {accept: 'application/json'})
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.json).toMatchObject({kind: 'PodList', apiVersion: 'v1'})
    expect(names(r.json)).toEqual(['web'])
  })

  it('prints Namespaces with Name, Status and Age', async () => {
    const r = await k.request('GET', NS_PATH(ns), {accept: TABLE_ACCEPT})
    expect(r.json.columnDefinitions.map((c: {name: string}) => c.name)).toEqual(['Name', 'Status', 'Age'])
    expect(r.json.rows[0].cells.slice(0, 2)).toEqual([ns, 'Active'])
  })

  it('prints Deployments with their real columns', async () => {
    await mustCreate(k, DEPLOY_PATH(ns), deployment('d1', 2))
    const r = await k.request('GET', DEPLOY_PATH(ns), {accept: TABLE_ACCEPT})
    expect(r.json.columnDefinitions.map((c: {name: string}) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'])
    const cells = r.json.rows[0].cells
    expect(cells[0]).toBe('d1')
    expect(cells[1]).toBe('0/2')
    expect(cells.slice(5)).toEqual(['nginx', 'nginx:1.27', 'app=d1'])
  })

  it('prints Terminating for a pod being deleted', async () => {
    // Bound to another node, nothing finishes its deletion.
    await mustCreate(k, POD_PATH(ns), pod('stuck', {}, {nodeName: 'elsewhere'}))
    expect((await k.request('DELETE', POD_PATH(ns, 'stuck'), {body: {gracePeriodSeconds: 30}})).status).toBe(200)
    const r = await k.request('GET', POD_PATH(ns, 'stuck'), {accept: TABLE_ACCEPT})
    expect(r.json.rows[0].cells[2]).toBe('Terminating')
    await k.request('DELETE', POD_PATH(ns, 'stuck'), {body: {gracePeriodSeconds: 0}})
  })
})

describe('label selectors', () => {
  let lns: string
  beforeAll(async () => {
    lns = uniqueName('labels')
    await createNamespace(k, lns)
    await mustCreate(k, CM_PATH(lns), configMap('a', {}, {labels: {env: 'prod', tier: 'web'}}))
    await mustCreate(k, CM_PATH(lns), configMap('b', {}, {labels: {env: 'dev', tier: 'web'}}))
    await mustCreate(k, CM_PATH(lns), configMap('c', {}, {labels: {env: 'qa'}}))
    await mustCreate(k, CM_PATH(lns), configMap('d'))
  })

  it.each([
    ['env=prod', ['a']],
    ['env==prod', ['a']],
    ['env!=prod', ['b', 'c', 'd']],
    ['env in (prod,dev)', ['a', 'b']],
    ['env in (prod, dev)', ['a', 'b']],
    ['env notin (prod,dev)', ['c', 'd']],
    ['tier', ['a', 'b']],
    ['!tier', ['c', 'd']],
    ['tier=web,env!=dev', ['a']],
    ['tier,env in (qa)', []],
    ['env', ['a', 'b', 'c']],
  ])('selects %j', async (selector, expected) => {
    const r = await k.request('GET', `${CM_PATH(lns)}?labelSelector=${encodeURIComponent(selector)}`)
    expect(r.status).toBe(200)
    expect(names(r.json)).toEqual(expected)
  })

  it.each(['env in prod', 'env=(a', '=x', 'tier=web,,'])('refuses the malformed selector %j with 400', async (selector) => {
    const r = await k.request('GET', `${CM_PATH(lns)}?labelSelector=${encodeURIComponent(selector)}`)
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'BadRequest'})
  })
})

describe('field selectors', () => {
  let fns: string
  beforeAll(async () => {
    fns = uniqueName('fields')
    await createNamespace(k, fns)
    // Pods bound to another node stay as written: nothing runs them.
    await mustCreate(k, POD_PATH(fns), pod('pending', {}, {nodeName: 'elsewhere'}))
    await mustCreate(k, POD_PATH(fns), pod('done', {}, {nodeName: 'elsewhere', restartPolicy: 'Never'}))
    const finished = await k.request('PATCH', `${POD_PATH(fns, 'done')}/status`, {body: {status: {phase: 'Succeeded'}}, contentType: MERGE})
    expect(finished.status).toBe(200)
    expect(finished.json.status.phase).toBe('Succeeded')
  })

  it('selects by spec.nodeName and status.phase != Succeeded', async () => {
    const r = await k.request('GET', `${POD_PATH(fns)}?fieldSelector=${encodeURIComponent('spec.nodeName=elsewhere,status.phase!=Succeeded')}`)
    expect(r.status).toBe(200)
    expect(names(r.json)).toEqual(['pending'])
  })

  it("answers describe node's pod query across all namespaces", async () => {
    const selector = `spec.nodeName=${NODE_NAME},status.phase!=Succeeded,status.phase!=Failed`
    const r = await k.request('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(selector)}`)
    expect(r.status).toBe(200)
    expect(r.json.items.map((p: {metadata: {namespace: string; name: string}}) => `${p.metadata.namespace}/${p.metadata.name}`)).toContain(`${ns}/web`)
    expect(r.json.items.every((p: {spec: {nodeName: string}}) => p.spec.nodeName === NODE_NAME)).toBe(true)
  })

  it('selects by metadata.name and metadata.namespace with = and ==', async () => {
    const byName = await k.request('GET', `${POD_PATH(fns)}?fieldSelector=${encodeURIComponent('metadata.name==done')}`)
    expect(names(byName.json)).toEqual(['done'])
    const byNs = await k.request('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`metadata.namespace=${fns}`)}`)
    expect(names(byNs.json)).toEqual(['done', 'pending'])
  })

  it('combines label and field selectors', async () => {
    const r = await k.request('GET', `/api/v1/pods?labelSelector=app%3Dweb&fieldSelector=${encodeURIComponent(`metadata.namespace=${ns}`)}`)
    expect(names(r.json)).toEqual(['web'])
  })

  it('refuses an unsupported field with 400 field label not supported', async () => {
    const r = await k.request('GET', `${POD_PATH(fns)}?fieldSelector=${encodeURIComponent('spec.foo=bar')}`)
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'BadRequest', message: 'field label not supported: spec.foo'})
  })

  it('refuses a field a kind without its own conversion does not have', async () => {
    const r = await k.request('GET', `${CM_PATH(fns)}?fieldSelector=${encodeURIComponent('data.a=1')}`)
    expect(r.status).toBe(400)
    expect(r.json.message).toContain('data.a')
  })
})
