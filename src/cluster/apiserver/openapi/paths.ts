// The `paths` section of a group-version document. kubectl reads it for one thing (cli-runtime
// query_param_verifier_v3.go): the PATCH operation whose `x-kubernetes-group-version-kind` is the kind it
// is sending, and whether that operation lists a `fieldValidation` query parameter. It takes the first
// matching PATCH in map order, so every PATCH operation here (including /status and /scale) carries the
// full parameter list. The other verbs mirror the real document for clients that generate from it.
import {SCHEMA_REF_PREFIX, type GroupVersionKind} from './schemas.js'

export type Verb = 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection'

export interface PathResource {
  gvk: GroupVersionKind
  plural: string
  namespaced: boolean
  verbs: readonly string[]
  schemaName: string
  listSchemaName?: string
  subresources: {name: string; verbs: readonly string[]; gvk: GroupVersionKind; schemaName: string}[]
}

type Operation = Record<string, unknown>
type PathItem = Record<string, unknown>

const query = (name: string, type: string, description: string) => ({name, in: 'query', description, schema: {type, uniqueItems: true}})
const PRETTY = query('pretty', 'string', "If 'true', then the output is pretty printed.")
const DRY_RUN = query('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed')
const FIELD_MANAGER = query('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.')
const FIELD_VALIDATION = query('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn (the default since v1.23) - Strict.')
const FORCE = query('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.')
const LIST_PARAMS = [
  query('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  query('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  query('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  query('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  query('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
]
const DELETE_PARAMS = [DRY_RUN, query('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  query('propagationPolicy', 'string', 'Whether and how garbage collection will be performed.')]
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']

const ref = (name: string) => ({$ref: `${SCHEMA_REF_PREFIX}${name}`})
const body = (name: string, types = ['application/json', 'application/yaml']) => ({
  content: Object.fromEntries(types.map((t) => [t, {schema: ref(name)}])),
  required: true,
})
const reply = (name: string, codes: string[]) => ({
  ...Object.fromEntries(codes.map((code) => [code, {description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: {'application/json': {schema: ref(name)}}}])),
  '401': {description: 'Unauthorized'},
})

function camel(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** `apps` → `AppsV1`, `coordination.k8s.io` → `CoordinationV1`, `` → `CoreV1`, as in real operationIds. */
function gvPart(gvk: GroupVersionKind): string {
  const group = gvk.group ? gvk.group.replace(/\.k8s\.io$/, '').split('.').map(camel).join('') : 'Core'
  return `${group}${camel(gvk.version)}`
}

function tag(gvk: GroupVersionKind): string {
  return `${gvk.group ? gvk.group.replace(/\.k8s\.io$/, '').replace(/\./g, '_') : 'core'}_${gvk.version}`
}

function operation(action: string, opId: string, gvk: GroupVersionKind, rest: Operation): Operation {
  return {operationId: opId, tags: [tag(gvk)], ...rest, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk}
}

/** The operations on one object (or subresource) path, by the verbs the resource serves. */
function itemOperations(verbs: readonly string[], gvk: GroupVersionKind, schemaName: string, idKind: string): PathItem {
  const item: PathItem = {}
  const gv = gvPart(gvk)
  if (verbs.includes('get')) item.get = operation('get', `read${gv}${idKind}`, gvk, {description: `read the specified ${gvk.kind}`, responses: reply(schemaName, ['200'])})
  if (verbs.includes('update')) {
    item.put = operation('put', `replace${gv}${idKind}`, gvk, {description: `replace the specified ${gvk.kind}`,
      parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], requestBody: body(schemaName), responses: reply(schemaName, ['200', '201'])})
  }
  if (verbs.includes('patch')) {
    item.patch = operation('patch', `patch${gv}${idKind}`, gvk, {description: `partially update the specified ${gvk.kind}`,
      parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
      requestBody: body('io.k8s.apimachinery.pkg.apis.meta.v1.Patch', PATCH_TYPES), responses: reply(schemaName, ['200', '201'])})
  }
  if (verbs.includes('delete')) {
    item.delete = operation('delete', `delete${gv}${idKind}`, gvk, {description: `delete a ${gvk.kind}`, parameters: DELETE_PARAMS,
      requestBody: {content: {'application/json': {schema: ref('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')}}},
      responses: reply('io.k8s.apimachinery.pkg.apis.meta.v1.Status', ['200', '202'])})
  }
  if (verbs.includes('create')) {
    item.post = operation('post', `create${gv}${idKind}`, gvk, {description: `create a ${gvk.kind}`,
      parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], requestBody: body(schemaName), responses: reply(schemaName, ['200', '201', '202'])})
  }
  return item
}

/** All paths of one resource: collection, object, all-namespaces list and subresources. */
export function resourcePaths(base: string, r: PathResource): Record<string, PathItem> {
  const gv = gvPart(r.gvk)
  const scope = r.namespaced ? 'Namespaced' : ''
  const collectionPath = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`
  const itemPath = `${collectionPath}/{name}`
  const pathParams = (withName: boolean) => [
    ...(withName ? [{name: 'name', in: 'path', required: true, description: `name of the ${r.gvk.kind}`, schema: {type: 'string', uniqueItems: true}}] : []),
    ...(r.namespaced ? [{name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', schema: {type: 'string', uniqueItems: true}}] : []),
    PRETTY,
  ]
  const paths: Record<string, PathItem> = {}

  const collection: PathItem = {}
  if (r.verbs.includes('list') && r.listSchemaName) {
    collection.get = operation('list', `list${gv}${scope}${r.gvk.kind}`, r.gvk, {description: `list or watch objects of kind ${r.gvk.kind}`,
      parameters: LIST_PARAMS, responses: reply(r.listSchemaName, ['200'])})
  }
  Object.assign(collection, r.verbs.includes('create') ? {post: itemOperations(['create'], r.gvk, r.schemaName, `${scope}${r.gvk.kind}`).post} : {})
  if (r.verbs.includes('deletecollection')) {
    collection.delete = operation('deletecollection', `delete${gv}Collection${scope}${r.gvk.kind}`, r.gvk, {
      description: `delete collection of ${r.gvk.kind}`, parameters: [...DELETE_PARAMS, ...LIST_PARAMS],
      responses: reply('io.k8s.apimachinery.pkg.apis.meta.v1.Status', ['200'])})
  }
  if (Object.keys(collection).length) paths[collectionPath] = {...collection, parameters: pathParams(false)}

  const item = itemOperations(r.verbs.filter((v) => v !== 'create'), r.gvk, r.schemaName, `${scope}${r.gvk.kind}`)
  if (Object.keys(item).length) paths[itemPath] = {...item, parameters: pathParams(true)}

  if (r.namespaced && r.verbs.includes('list') && r.listSchemaName) {
    paths[`${base}/${r.plural}`] = {
      get: operation('list', `list${gv}${r.gvk.kind}ForAllNamespaces`, r.gvk, {description: `list or watch objects of kind ${r.gvk.kind}`,
        parameters: LIST_PARAMS, responses: reply(r.listSchemaName, ['200'])}),
      parameters: [PRETTY],
    }
  }
  for (const sub of r.subresources) {
    const ops = itemOperations(sub.verbs, sub.gvk, sub.schemaName, `${scope}${r.gvk.kind}${camel(sub.name)}`)
    if (Object.keys(ops).length) paths[`${itemPath}/${sub.name}`] = {...ops, parameters: pathParams(true)}
  }
  return paths
}
