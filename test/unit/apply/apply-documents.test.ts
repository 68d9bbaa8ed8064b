import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {applyDocuments} from '../../../src/cluster/apply/apply-manifests.js'
import {HttpClient} from '../../../src/cluster/client/http-client.js'
import {ensureCertificates, type ClusterCertificates} from '../../../src/cluster/pki/certificates.js'
import {sendJson, startFakeApi, type FakeApi} from '../lifecycle/fake-api-server.js'

// A minimal API: legacy discovery for v1 and apps/v1, objects kept in a map, SSA that bumps the
// resourceVersion only when the object changes, and a field owned by someone else for conflicts.
const DISCOVERY: Record<string, unknown> = {
  '/api/v1': {kind: 'APIResourceList', groupVersion: 'v1', resources: [
    {name: 'namespaces', namespaced: false, kind: 'Namespace'},
    {name: 'pods/status', namespaced: true, kind: 'Pod'},
    {name: 'pods', namespaced: true, kind: 'Pod'},
    {name: 'configmaps', namespaced: true, kind: 'ConfigMap'},
  ]},
  '/apis/apps/v1': {kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{name: 'deployments', namespaced: true, kind: 'Deployment'}]},
}

function status(code: number, reason: string, message: string, causes?: unknown[]) {
  return {kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details: causes ? {causes} : undefined}
}

describe('applyDocuments', () => {
  let certs: ClusterCertificates
  let api: FakeApi
  let dir: string
  let client: HttpClient
  const store = new Map<string, {rv: number; object: Record<string, unknown>}>()
  let rv = 100

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kcluster-apply-'))
    certs = await ensureCertificates(path.join(dir, 'pki'))
    api = await startFakeApi(certs, (req, res) => {
      const url = new URL(req.url!, 'https://x')
      if (DISCOVERY[url.pathname]) return sendJson(res, 200, DISCOVERY[url.pathname])
      if (url.pathname.startsWith('/apis/') && url.pathname.split('/').length <= 4) return sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'))
      const stored = store.get(url.pathname)
      if (req.method === 'GET') {
        return stored ? sendJson(res, 200, {...stored.object, metadata: {...(stored.object.metadata as object), resourceVersion: String(stored.rv)}}) : sendJson(res, 404, status(404, 'NotFound', 'not found'))
      }
      if (req.method === 'PATCH') {
        const object = JSON.parse(req.body) as {metadata: Record<string, unknown>; data?: Record<string, string>}
        if (object.data?.owned) {
          return sendJson(res, 409, status(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl-edit": .data.owned', [
            {reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit"', field: '.data.owned'},
          ]))
        }
        if (object.data?.invalid) return sendJson(res, 422, status(422, 'Invalid', 'ConfigMap "x" is invalid: data.invalid: Invalid value'))
        const dryRun = url.searchParams.get('dryRun') === 'All'
        const unchanged = stored && JSON.stringify(stored.object) === JSON.stringify(object)
        const next = {rv: unchanged ? stored.rv : ++rv, object}
        if (!dryRun) store.set(url.pathname, next)
        return sendJson(res, stored ? 200 : 201, {...object, metadata: {...object.metadata, resourceVersion: String(dryRun && stored ? stored.rv : next.rv)}})
      }
      sendJson(res, 405, status(405, 'MethodNotAllowed', 'no'))
    })
    client = new HttpClient({server: `https://127.0.0.1:${api.port}`, ca: certs.caCert, cert: certs.adminCert, key: certs.adminKey})
  })
  afterAll(async () => {
    client.close()
    await api.close()
    await rm(dir, {recursive: true, force: true})
  })
  beforeEach(() => {
    store.clear()
    api.requests.length = 0
  })

  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: team
data:
  mode: "on"
---
apiVersion: v1
kind: Namespace
metadata:
  name: team
  namespace: ignored
`
  const stdin = (text: string) => async () => text

  it('creates objects with server-side apply and prints kubectl-style refs', async () => {
    const result = await applyDocuments(client, {files: ['-'], readStdin: stdin(manifest)})
    expect(result.problems).toEqual([])
    expect(result.applied.map((a) => `${a.ref} ${a.action}`)).toEqual(['deployment.apps/web created', 'configmap/settings created', 'namespace/team created'])
    const patch = api.requests.find((r) => r.method === 'PATCH')!
    expect(patch.contentType).toBe('application/apply-patch+yaml')
    const query = new URL(patch.url, 'https://x').searchParams
    expect(query.get('fieldManager')).toBe('kcluster')
    expect(query.get('force')).toBe('false')
    expect(query.has('dryRun')).toBe(false)
  })

  it('puts namespaced objects in -n or default and strips the namespace of cluster-scoped ones', async () => {
    await applyDocuments(client, {files: ['-'], readStdin: stdin(manifest)})
    const paths = api.requests.filter((r) => r.method === 'PATCH').map((r) => new URL(r.url, 'https://x').pathname)
    expect(paths).toEqual(['/apis/apps/v1/namespaces/default/deployments/web', '/api/v1/namespaces/team/configmaps/settings', '/api/v1/namespaces/team'])
    const nsBody = JSON.parse(api.requests.filter((r) => r.method === 'PATCH')[2]!.body)
    expect(nsBody.metadata.namespace).toBeUndefined()
    store.clear()
    api.requests.length = 0
    await applyDocuments(client, {files: ['-'], namespace: 'team', readStdin: stdin(manifest)})
    expect(api.requests.find((r) => r.method === 'PATCH')!.url).toContain('/apis/apps/v1/namespaces/team/deployments/web')
  })

  it('says unchanged when the resourceVersion did not move and configured when it did', async () => {
    await applyDocuments(client, {files: ['-'], readStdin: stdin(manifest)})
    const again = await applyDocuments(client, {files: ['-'], readStdin: stdin(manifest)})
    expect(again.applied.map((a) => a.action)).toEqual(['unchanged', 'unchanged', 'unchanged'])
    const changed = await applyDocuments(client, {files: ['-'], readStdin: stdin(manifest.replace('replicas: 2', 'replicas: 3'))})
    expect(changed.applied.map((a) => a.action)).toEqual(['configured', 'unchanged', 'unchanged'])
  })

  it('sends dryRun=All with --dry-run=server and stores nothing', async () => {
    const result = await applyDocuments(client, {files: ['-'], dryRun: true, readStdin: stdin(manifest)})
    expect(result.applied.every((a) => a.dryRun && a.action === 'created')).toBe(true)
    expect(new URL(api.requests.find((r) => r.method === 'PATCH')!.url, 'https://x').searchParams.get('dryRun')).toBe('All')
    expect(store.size).toBe(0)
  })

  it('tells configured from unchanged in a dry run by content, since the resourceVersion never moves', async () => {
    await applyDocuments(client, {files: ['-'], readStdin: stdin(manifest)})
    const result = await applyDocuments(client, {files: ['-'], dryRun: true, readStdin: stdin(manifest.replace('replicas: 2', 'replicas: 5'))})
    expect(result.applied.map((a) => a.action)).toEqual(['configured', 'unchanged', 'unchanged'])
  })

  it('applies the good documents and reports each bad one with file, line, why and fix', async () => {
    const text = `${manifest}---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: taken
data:
  owned: "x"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  invalid: "x"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: [oops
`
    const result = await applyDocuments(client, {files: ['-'], readStdin: stdin(text)})
    expect(result.applied.map((a) => a.ref)).toEqual(['deployment.apps/web', 'configmap/settings', 'namespace/team'])
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [22, 'Widget "w": the server does not serve example.com/v1 (no matches for kind "Widget")'],
      [27, 'ConfigMap "taken": field ownership conflict: .data.owned (conflict with "kubectl-edit")'],
      [34, 'ConfigMap "broken": ConfigMap "x" is invalid: data.invalid: Invalid value'],
      [44, expect.stringMatching(/^YAML syntax error/)],
    ])
    expect(result.problems[1]!.fix).toMatch(/never takes them over/)
    expect(result.problems.every((p) => p.source === '<stdin>')).toBe(true)
  })

  it('refuses an object whose namespace contradicts -n, like kubectl', async () => {
    const result = await applyDocuments(client, {files: ['-'], namespace: 'other', readStdin: stdin(manifest)})
    expect(result.applied.map((a) => a.ref)).toEqual(['deployment.apps/web', 'namespace/team'])
    expect(result.problems).toEqual([expect.objectContaining({line: 8, message: expect.stringContaining('does not match the namespace "other"'), fix: 'use -n team, or remove metadata.namespace from the manifest'})])
  })

  it('stops after the first object when the API server goes away and says how many were left', async () => {
    const gone = new HttpClient({server: 'https://127.0.0.1:1', ca: certs.caCert, cert: certs.adminCert, key: certs.adminKey})
    const result = await applyDocuments(gone, {files: ['-'], readStdin: stdin(manifest)})
    gone.close()
    expect(result.applied).toEqual([])
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringContaining('the API server did not answer'), '2 later object(s) were not applied'])
  })
})
