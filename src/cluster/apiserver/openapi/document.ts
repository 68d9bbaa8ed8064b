// OpenAPI v3 documents, one per group-version, as served under /openapi/v3. They are built once, on first
// request, from the resource table and the generated schemas; each carries a content hash because kubectl
// caches the documents by URL (`?hash=`) and must see a new URL whenever a schema changes.
import {createHash} from 'node:crypto'
import {RESOURCES, VIRTUAL_RESOURCES, type ResourceType, type SubresourceType} from '../../api/resources.js'
import {resourcePaths, type PathResource} from './paths.js'
import {componentSchemas, schemaNameOf, type GroupVersionKind, type OpenApiSchema} from './schemas.js'

export interface OpenApiV3Document {
  body: string
  hash: string
}

/** Whose body a subresource without its own `responseKind` takes: the parent's, or a fixed kind. */
const SUBRESOURCE_KIND: Record<string, GroupVersionKind | 'parent'> = {
  status: 'parent',
  finalize: 'parent',
  ephemeralcontainers: 'parent',
  binding: {group: '', version: 'v1', kind: 'Binding'},
}
const ALWAYS_INCLUDED = [
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
]
// The schemas come from kubernetes-types 1.30; the title/version mirror a real server's document.
const INFO = {title: 'Kubernetes', version: 'v1.32.0'}

export function gvPathOf(gv: {group: string; version: string}): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`
}

function requireSchema(gvk: GroupVersionKind): string {
  const name = schemaNameOf(gvk)
  if (!name) throw new Error(`no generated OpenAPI schema for ${gvk.group}/${gvk.version} ${gvk.kind}; run npm run gen:schemas`)
  return name
}

function subresources(r: ResourceType): PathResource['subresources'] {
  const parent = {group: r.group, version: r.version, kind: r.kind}
  const out: PathResource['subresources'] = []
  for (const sub of r.subresources as readonly SubresourceType[]) {
    const mapped = sub.responseKind ?? SUBRESOURCE_KIND[sub.name]
    if (!mapped) continue // connect-style subresources (exec, log, proxy ...) have no body schema
    const gvk = mapped === 'parent' ? parent : mapped
    out.push({name: sub.name, verbs: sub.verbs, gvk, schemaName: requireSchema(gvk)})
  }
  return out
}

function pathResources(): Map<string, PathResource[]> {
  const byGv = new Map<string, PathResource[]>()
  const add = (gvPath: string, r: PathResource) => byGv.set(gvPath, [...(byGv.get(gvPath) ?? []), r])
  for (const r of RESOURCES) {
    const gvk = {group: r.group, version: r.version, kind: r.kind}
    add(gvPathOf(r), {gvk, plural: r.plural, namespaced: r.scope === 'Namespaced', verbs: r.verbs, schemaName: requireSchema(gvk),
      listSchemaName: schemaNameOf({...gvk, kind: r.listKind}), subresources: subresources(r)})
  }
  for (const v of VIRTUAL_RESOURCES) {
    const gvk = {group: v.group, version: v.version, kind: v.kind}
    add(gvPathOf(v), {gvk, plural: v.plural, namespaced: v.scope === 'Namespaced', verbs: v.verbs, schemaName: requireSchema(gvk), subresources: []})
  }
  return byGv
}

/** Every schema reachable from the roots, so that each document resolves its own `$ref`s. */
function closure(roots: Iterable<string>): Record<string, OpenApiSchema> {
  const all = componentSchemas()
  const seen = new Set<string>()
  const pending = [...roots]
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue
    seen.add(name)
    const text = JSON.stringify(all[name])
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) if (!seen.has(m[1])) pending.push(m[1])
  }
  return Object.fromEntries([...seen].sort().map((name) => [name, all[name]]))
}

function buildDocument(gvPath: string, resources: PathResource[]): OpenApiV3Document {
  const base = `/${gvPath}`
  const paths = Object.assign({}, ...resources.map((r) => resourcePaths(base, r))) as Record<string, unknown>
  const roots = new Set(ALWAYS_INCLUDED)
  for (const r of resources) {
    roots.add(r.schemaName)
    if (r.listSchemaName) roots.add(r.listSchemaName)
    for (const s of r.subresources) roots.add(s.schemaName)
  }
  const document = {
    openapi: '3.0.0',
    info: INFO,
    paths,
    components: {
      schemas: closure(roots),
      securitySchemes: {BearerToken: {type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header'}},
    },
    security: [{BearerToken: []}],
  }
  const body = JSON.stringify(document)
  return {body, hash: createHash('sha512').update(body).digest('hex').toUpperCase()}
}

let documents: Map<string, OpenApiV3Document> | undefined

/** All group-version documents by path (`api/v1`, `apis/apps/v1`), built on first use. */
export function allDocuments(): ReadonlyMap<string, OpenApiV3Document> {
  if (!documents) {
    documents = new Map()
    for (const [gvPath, resources] of [...pathResources()].sort(([a], [b]) => a.localeCompare(b))) {
      documents.set(gvPath, buildDocument(gvPath, resources))
    }
  }
  return documents
}
