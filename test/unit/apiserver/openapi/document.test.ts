import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {RESOURCES, VIRTUAL_RESOURCES} from '../../../../src/cluster/api/resources.js'
import {openApiV3Document, openApiV3Root} from '../../../../src/cluster/apiserver/openapi/index.js'

type Doc = {
  paths: Record<string, Record<string, {parameters?: {name: string; in: string}[]; 'x-kubernetes-group-version-kind'?: unknown}>>
  components: {schemas: Record<string, Record<string, unknown> & {properties?: Record<string, Record<string, unknown>>}>}
}

function parsed(gvPath: string): Doc {
  const doc = openApiV3Document(gvPath)
  if (!doc) throw new Error(`no document for ${gvPath}`)
  return JSON.parse(doc.body) as Doc
}

const gvPaths = [...new Set([...RESOURCES, ...VIRTUAL_RESOURCES].map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)))]

describe('openApiV3Root', () => {
  it('lists every served group-version with a hashed URL that matches its document', () => {
    const root = openApiV3Root()
    expect(Object.keys(root.paths).sort()).toEqual([...gvPaths].sort())
    expect(gvPaths).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/authorization.k8s.io/v1', 'apis/authentication.k8s.io/v1']))
    for (const gv of gvPaths) {
      const hash = openApiV3Document(gv)?.hash
      expect(hash).toMatch(/^[0-9A-F]{128}$/)
      expect(root.paths[gv].serverRelativeURL).toBe(`/openapi/v3/${gv}?hash=${hash}`)
    }
  })

  it('gives each group-version document its own hash', () => {
    const hashes = gvPaths.map((gv) => openApiV3Document(gv)?.hash)
    expect(new Set(hashes).size).toBe(gvPaths.length)
  })
})

describe('openApiV3Document', () => {
  it('serves the Deployment PATCH operation kubectl looks for, with its kind and fieldValidation', () => {
    const doc = parsed('apis/apps/v1')
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch
    expect(patch['x-kubernetes-group-version-kind']).toEqual({group: 'apps', version: 'v1', kind: 'Deployment'})
    const params = (patch.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
    expect(params).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation', 'force']))
  })

  it('puts fieldValidation on every PATCH operation, since kubectl checks the first one it finds for a kind', () => {
    for (const gv of gvPaths) {
      for (const [path, item] of Object.entries(parsed(gv).paths)) {
        if (!item.patch) continue
        expect(item.patch.parameters?.map((p) => p.name), path).toContain('fieldValidation')
      }
    }
  })

  it('types the scale subresource PATCH as autoscaling/v1 Scale', () => {
    const patch = parsed('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch
    expect(patch['x-kubernetes-group-version-kind']).toEqual({group: 'autoscaling', version: 'v1', kind: 'Scale'})
  })

  it('serves cluster-scoped and virtual resources without a namespace segment', () => {
    expect(parsed('api/v1').paths['/api/v1/namespaces/{name}'].patch).toBeDefined()
    expect(parsed('apis/authorization.k8s.io/v1').paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'].post).toBeDefined()
  })

  it('names schemas as the real server does and marks top-level kinds with their group-version-kind', () => {
    const schemas = parsed('apis/apps/v1').components.schemas
    expect(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{group: 'apps', kind: 'Deployment', version: 'v1'}])
    expect(schemas['io.k8s.api.apps.v1.Deployment'].description).toMatch(/declarative updates/)
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties?.labels.description).toMatch(/Map of string keys/)
    expect(schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined()
  })

  it('carries the strategic-merge keys kubectl uses to compute apply patches', () => {
    const schemas = parsed('apis/apps/v1').components.schemas
    const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties?.containers
    expect(containers).toMatchObject({'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge'})
    const ports = schemas['io.k8s.api.core.v1.Container'].properties?.ports
    expect(ports).toMatchObject({'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol']})
    const servicePorts = parsed('api/v1').components.schemas['io.k8s.api.core.v1.ServiceSpec'].properties?.ports
    expect(servicePorts).toMatchObject({'x-kubernetes-patch-merge-key': 'port'})
  })

  it('includes every schema a document references, so each document resolves on its own', () => {
    for (const gv of gvPaths) {
      const doc = openApiV3Document(gv)?.body ?? ''
      const schemas = parsed(gv).components.schemas
      const refs = [...doc.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1])
      expect(refs.length).toBeGreaterThan(0)
      for (const ref of refs) expect(schemas[ref], `${gv}: ${ref}`).toBeDefined()
    }
  })

  it('returns undefined for a group-version it does not serve', () => {
    expect(openApiV3Document('apis/batch/v1')).toBeUndefined()
  })

  it('returns the same precomputed document on every call', () => {
    expect(openApiV3Document('api/v1')).toBe(openApiV3Document('/api/v1'))
  })
})

describe('generated schemas', () => {
  it('are what scripts/gen-schemas.mjs produces from the installed kubernetes-types', () => {
    const repo = fileURLToPath(new URL('../../../../', import.meta.url))
    const out = execFileSync(process.execPath, ['scripts/gen-schemas.mjs', '--check'], {cwd: repo, encoding: 'utf8'})
    expect(out).toMatch(/is up to date/)
  }, 60_000)
})
