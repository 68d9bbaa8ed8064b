// Discovery, version, health and OpenAPI as kubectl and client-node read them
// (kubectl-compat.md sections 1.1-1.4), plus which paths need a client certificate.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {AGGREGATED_ACCEPT, startTestCluster, type TestCluster} from './harness.js'

const AGGREGATED_V2_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster()
})
afterAll(async () => {
  await k?.stop()
})

describe('aggregated discovery', () => {
  it('serves /api as an APIGroupDiscoveryList v2 with the exact Content-Type when Accept asks for it', async () => {
    const r = await k.request('GET', '/api?timeout=32s', {accept: AGGREGATED_ACCEPT})
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe(AGGREGATED_V2_TYPE)
    expect(r.json).toMatchObject({kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2'})
    expect(r.json.items).toHaveLength(1)
    const core = r.json.items[0]
    expect(core.metadata.name).toBeUndefined()
    expect(core.versions[0]).toMatchObject({version: 'v1', freshness: 'Current'})
    const pods = core.versions[0].resources.find((x: {resource: string}) => x.resource === 'pods')
    expect(pods).toMatchObject({
      responseKind: {group: '', version: 'v1', kind: 'Pod'},
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    })
    const namespaces = core.versions[0].resources.find((x: {resource: string}) => x.resource === 'namespaces')
    expect(namespaces.scope).toBe('Cluster')
    for (const res of core.versions[0].resources) expect(res.responseKind.kind, res.resource).not.toBe('')
  })

  it('serves /apis with named groups whose Deployment lists the scale and status subresources', async () => {
    const r = await k.request('GET', '/apis?timeout=32s', {accept: AGGREGATED_ACCEPT})
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe(AGGREGATED_V2_TYPE)
    expect(r.json.kind).toBe('APIGroupDiscoveryList')
    const apps = r.json.items.find((g: {metadata: {name: string}}) => g.metadata.name === 'apps')
    expect(apps).toBeDefined()
    const deployments = apps.versions[0].resources.find((x: {resource: string}) => x.resource === 'deployments')
    expect(deployments).toMatchObject({
      responseKind: {group: 'apps', version: 'v1', kind: 'Deployment'},
      scope: 'Namespaced',
      shortNames: ['deploy'],
      categories: ['all'],
    })
    const subs = Object.fromEntries(deployments.subresources.map((s: {subresource: string}) => [s.subresource, s]))
    expect(subs.scale).toMatchObject({responseKind: {group: 'autoscaling', version: 'v1', kind: 'Scale'}, verbs: ['get', 'patch', 'update']})
    expect(subs.status).toMatchObject({responseKind: {kind: 'Deployment'}, verbs: ['get', 'patch', 'update']})
    for (const group of r.json.items) expect(group.metadata.name).toBeTruthy()
  })
})

describe('legacy discovery', () => {
  it('serves /api as APIVersions with the server address when Accept does not ask for aggregation', async () => {
    const r = await k.request('GET', '/api', {accept: 'application/json, */*'})
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    const port = new URL(k.url).port
    expect(r.json).toEqual({kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}`}]})
  })

  it('serves /apis as an APIGroupList with preferred versions', async () => {
    const r = await k.request('GET', '/apis', {accept: 'application/json'})
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({kind: 'APIGroupList', apiVersion: 'v1'})
    const apps = r.json.groups.find((g: {name: string}) => g.name === 'apps')
    expect(apps).toEqual({name: 'apps', versions: [{groupVersion: 'apps/v1', version: 'v1'}], preferredVersion: {groupVersion: 'apps/v1', version: 'v1'}})
  })

  it('serves /apis/<group> as an APIGroup', async () => {
    const r = await k.request('GET', '/apis/apps')
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({kind: 'APIGroup', apiVersion: 'v1', name: 'apps', preferredVersion: {groupVersion: 'apps/v1', version: 'v1'}})
  })

  it('lists every main resource of /api/v1 before its subresources, pods before pods/status', async () => {
    const r = await k.request('GET', '/api/v1', {accept: 'application/json, */*;q=0.8'})
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1'})
    const names: string[] = r.json.resources.map((x: {name: string}) => x.name)
    expect(names.indexOf('pods')).toBeGreaterThanOrEqual(0)
    expect(names.indexOf('pods')).toBeLessThan(names.indexOf('pods/status'))
    for (const [i, name] of names.entries()) {
      if (!name.includes('/')) continue
      expect(names.indexOf(name.split('/')[0]), `${name} must come after its parent`).toBeLessThan(i)
    }
    // client-node resolves a kind with resources.find(r => r.kind === kind): the first Pod entry must be pods.
    expect(r.json.resources.find((x: {kind: string}) => x.kind === 'Pod').name).toBe('pods')
    const byName = Object.fromEntries(r.json.resources.map((x: {name: string}) => [x.name, x]))
    expect(byName.pods).toMatchObject({singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all']})
    for (const sub of ['status', 'log', 'exec', 'attach', 'portforward', 'eviction', 'binding', 'ephemeralcontainers', 'proxy'])
      expect(byName[`pods/${sub}`], `pods/${sub}`).toBeDefined()
    expect(byName['pods/exec'].verbs).toEqual(['create', 'get'])
    expect(byName['pods/attach'].verbs).toEqual(['create', 'get'])
    expect(byName['pods/portforward'].verbs).toEqual(['create', 'get'])
    expect(byName['pods/log'].verbs).toEqual(['get'])
    expect(byName.namespaces.namespaced).toBe(false)
  })

  it('describes deployments/scale in /apis/apps/v1 as autoscaling/v1 Scale', async () => {
    const r = await k.request('GET', '/apis/apps/v1')
    expect(r.status).toBe(200)
    expect(r.json.groupVersion).toBe('apps/v1')
    const scale = r.json.resources.find((x: {name: string}) => x.name === 'deployments/scale')
    expect(scale).toMatchObject({group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update']})
    const deployments = r.json.resources.find((x: {name: string}) => x.name === 'deployments')
    expect(deployments).toMatchObject({kind: 'Deployment', namespaced: true, shortNames: ['deploy']})
    expect(typeof deployments.storageVersionHash).toBe('string')
  })

  it.each(['/apis/no.such.group', '/apis/no.such.group/v1', '/apis/apps/v9', '/api/v2'])('answers %s with a 404 Status', async (path) => {
    const r = await k.request('GET', path)
    expect(r.status).toBe(404)
    expect(r.json).toMatchObject({kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404})
  })

  it('answers an unknown resource in a known group with a 404 Status', async () => {
    const r = await k.request('GET', '/apis/apps/v1/namespaces/default/widgets')
    expect(r.status).toBe(404)
    expect(r.json).toMatchObject({kind: 'Status', reason: 'NotFound', code: 404})
  })
})

describe('version and health', () => {
  it('reports major 1, minor 32 on /version', async () => {
    const r = await k.request('GET', '/version?timeout=5s')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.json).toMatchObject({major: '1', minor: '32', gitTreeState: 'clean', compiler: 'gc', platform: 'linux/amd64'})
    expect(r.json.gitVersion).toMatch(/^v1\.32\./)
  })

  it.each(['/healthz', '/livez', '/readyz'])('answers %s with 200 text/plain ok', async (path) => {
    const r = await k.request('GET', path)
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toMatch(/^text\/plain/)
    expect(r.text).toBe('ok')
  })
})

describe('OpenAPI v3', () => {
  it('lists group-version documents with hashed URLs and serves each with a PATCH that declares fieldValidation', async () => {
    const root = await k.request('GET', '/openapi/v3?timeout=32s', {accept: 'application/json, */*'})
    expect(root.status).toBe(200)
    expect(root.json.paths['api/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-Fa-f]+$/)
    const appsURL: string = root.json.paths['apis/apps/v1'].serverRelativeURL
    expect(appsURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-Fa-f]+$/)

    const doc = await k.request('GET', appsURL, {accept: 'application/json'})
    expect(doc.status).toBe(200)
    expect(doc.headers['cache-control']).toMatch(/public/)
    expect(doc.headers['cache-control']).toMatch(/immutable/)
    expect(doc.json.openapi).toMatch(/^3\.0/)
    const patch = doc.json.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch
    expect(patch['x-kubernetes-group-version-kind']).toEqual({group: 'apps', version: 'v1', kind: 'Deployment'})
    const params = (patch.parameters as Array<{name: string; $ref?: string}>).map((p) => p.name ?? p.$ref)
    expect(params).toContain('fieldValidation')
  })

  it('answers an unknown OpenAPI group-version with 404', async () => {
    const r = await k.request('GET', '/openapi/v3/apis/no.such.group/v1')
    expect(r.status).toBe(404)
  })
})

describe('authentication', () => {
  it.each(['/api', '/apis', '/api/v1', '/api/v1/namespaces/default/pods', '/openapi/v3', '/apis/apps/v1/deployments'])(
    'refuses %s without a client certificate with a 401 Status',
    async (path) => {
      const r = await k.request('GET', path, {anonymous: true})
      expect(r.status).toBe(401)
      expect(r.json).toMatchObject({kind: 'Status', reason: 'Unauthorized', code: 401})
    },
  )

  it('refuses an anonymous write with 401 and does not persist it', async () => {
    const r = await k.request('POST', '/api/v1/namespaces/default/configmaps', {anonymous: true, body: {metadata: {name: 'anon-cm'}}})
    expect(r.status).toBe(401)
    expect((await k.request('GET', '/api/v1/namespaces/default/configmaps/anon-cm')).status).toBe(404)
  })

  it.each(['/version', '/healthz', '/livez', '/readyz'])('serves %s without a client certificate', async (path) => {
    const r = await k.request('GET', path, {anonymous: true})
    expect(r.status).toBe(200)
  })
})
