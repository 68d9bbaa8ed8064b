// Build-time generator for the OpenAPI component schemas kcluster serves under /openapi/v3 and validates
// request bodies against. Run `npm run gen:schemas`; the output is committed, so neither the build nor the
// server needs this script (or ts-json-schema-generator) at run time.
//
// Source: the kubernetes-types declarations (JSDoc kept as descriptions) through ts-json-schema-generator.
// No npm package ships the upstream Kubernetes OpenAPI documents, so what TypeScript cannot express is
// added from the tables below, written from the k8s.io/api Go struct tags:
//   - integer width (`format: int32|int64`): TypeScript only has `number`; Go's decoder names the width
//     in its errors (`... of type int32`), and an int64 table is shorter than an int32 one;
//   - strategic-merge metadata (`x-kubernetes-patch-strategy`/`-patch-merge-key`, list types): kubectl's
//     client-side apply reads them from the served schemas and, without them, replaces lists wholesale;
//   - base64 `[]byte` fields (`format: byte`) and the IntOrString / Quantity / Time special types.
import {createGenerator} from 'ts-json-schema-generator'
import {readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const typesDir = dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'))
const typesVersion = JSON.parse(readFileSync(join(typesDir, 'package.json'), 'utf8')).version
const OUT = join(repo, 'src/cluster/apiserver/openapi/generated/schemas.json')

/** kubernetes-types module → Kubernetes schema name prefix and group/version of the kinds it declares. */
const MODULES = {
  'core/v1': {prefix: 'io.k8s.api.core.v1', group: '', version: 'v1'},
  'apps/v1': {prefix: 'io.k8s.api.apps.v1', group: 'apps', version: 'v1'},
  'coordination/v1': {prefix: 'io.k8s.api.coordination.v1', group: 'coordination.k8s.io', version: 'v1'},
  'autoscaling/v1': {prefix: 'io.k8s.api.autoscaling.v1', group: 'autoscaling', version: 'v1'},
  'authorization/v1': {prefix: 'io.k8s.api.authorization.v1', group: 'authorization.k8s.io', version: 'v1'},
  'authentication/v1': {prefix: 'io.k8s.api.authentication.v1', group: 'authentication.k8s.io', version: 'v1'},
  'policy/v1': {prefix: 'io.k8s.api.policy.v1', group: 'policy', version: 'v1'},
  'discovery/v1': {prefix: 'io.k8s.api.discovery.v1', group: 'discovery.k8s.io', version: 'v1'},
  'networking/v1': {prefix: 'io.k8s.api.networking.v1', group: 'networking.k8s.io', version: 'v1'},
  'meta/v1': {prefix: 'io.k8s.apimachinery.pkg.apis.meta.v1', group: '', version: 'v1'},
  'api/resource': {prefix: 'io.k8s.apimachinery.pkg.api.resource'},
  'runtime': {prefix: 'io.k8s.apimachinery.pkg.runtime'},
}

/** The types served: every kind in src/cluster/api/resources.ts, its list, and the subresource kinds. */
const ROOTS = {
  'core/v1': ['Namespace', 'NamespaceList', 'Node', 'NodeList', 'Pod', 'PodList', 'Service', 'ServiceList',
    'Endpoints', 'EndpointsList', 'ConfigMap', 'ConfigMapList', 'Secret', 'SecretList', 'ServiceAccount',
    'ServiceAccountList', 'Event', 'EventList', 'Binding'],
  'apps/v1': ['Deployment', 'DeploymentList', 'ReplicaSet', 'ReplicaSetList'],
  'coordination/v1': ['Lease', 'LeaseList'],
  'autoscaling/v1': ['Scale'],
  'authorization/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
  'authentication/v1': ['SelfSubjectReview', 'TokenRequest'],
  'policy/v1': ['Eviction'],
  'discovery/v1': ['EndpointSlice', 'EndpointSliceList'],
  'networking/v1': ['Ingress', 'IngressList', 'IngressClass', 'IngressClassList'],
  'meta/v1': ['Status', 'DeleteOptions', 'Patch'],
}

/** Integer fields that are int64 in Go; every other integer is int32. Keyed `GoStruct.jsonField`. */
const INT64 = new Set([
  'ObjectMeta.generation', 'ObjectMeta.deletionGracePeriodSeconds', 'ListMeta.remainingItemCount',
  'DeleteOptions.gracePeriodSeconds',
  'PodSpec.activeDeadlineSeconds', 'PodSpec.terminationGracePeriodSeconds', 'Probe.terminationGracePeriodSeconds',
  'SecurityContext.runAsUser', 'SecurityContext.runAsGroup',
  'PodSecurityContext.runAsUser', 'PodSecurityContext.runAsGroup', 'PodSecurityContext.fsGroup',
  'PodSecurityContext.supplementalGroups', 'Toleration.tolerationSeconds', 'SleepAction.seconds',
  'ServiceAccountTokenProjection.expirationSeconds', 'ContainerImage.sizeBytes',
  'DeploymentStatus.observedGeneration', 'ReplicaSetStatus.observedGeneration',
  'TokenRequestSpec.expirationSeconds', 'Condition.observedGeneration',
])

/** Go `[]byte` fields: JSON strings holding base64. */
const BYTES = new Set(['Secret.data', 'ConfigMap.binaryData'])

const merge = (key, extra = {}) => ({'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge', ...extra})
const mapList = (...keys) => ({'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys})
const atomic = {'x-kubernetes-list-type': 'atomic'}

/** Strategic-merge and list metadata from the Go struct tags (`patchStrategy`, `patchMergeKey`, `+listType`). */
const LIST_META = {
  'ObjectMeta.finalizers': {'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge'},
  'ObjectMeta.ownerReferences': merge('uid', mapList('uid')),
  'ObjectMeta.managedFields': atomic,
  'PodSpec.volumes': {...merge('name', mapList('name')), 'x-kubernetes-patch-strategy': 'merge,retainKeys'},
  'PodSpec.initContainers': merge('name', mapList('name')),
  'PodSpec.containers': merge('name', mapList('name')),
  'PodSpec.ephemeralContainers': merge('name', mapList('name')),
  'PodSpec.imagePullSecrets': merge('name', mapList('name')),
  'PodSpec.hostAliases': merge('ip', mapList('ip')),
  'PodSpec.topologySpreadConstraints': merge('topologyKey', mapList('topologyKey', 'whenUnsatisfiable')),
  'PodSpec.resourceClaims': {...merge('name', mapList('name')), 'x-kubernetes-patch-strategy': 'merge,retainKeys'},
  'PodSpec.schedulingGates': merge('name', mapList('name')),
  'PodSpec.tolerations': atomic,
  'PodSpec.readinessGates': atomic,
  'Container.ports': merge('containerPort', mapList('containerPort', 'protocol')),
  'Container.env': merge('name', mapList('name')),
  'Container.volumeMounts': merge('mountPath', mapList('mountPath')),
  'Container.volumeDevices': merge('devicePath', mapList('devicePath')),
  'Container.resizePolicy': atomic,
  'Container.envFrom': atomic,
  'Container.command': atomic,
  'Container.args': atomic,
  'EphemeralContainer.ports': merge('containerPort', mapList('containerPort', 'protocol')),
  'EphemeralContainer.env': merge('name', mapList('name')),
  'EphemeralContainer.volumeMounts': merge('mountPath', mapList('mountPath')),
  'EphemeralContainer.volumeDevices': merge('devicePath', mapList('devicePath')),
  'EphemeralContainer.resizePolicy': atomic,
  'EphemeralContainer.envFrom': atomic,
  'EphemeralContainer.command': atomic,
  'EphemeralContainer.args': atomic,
  'PodStatus.conditions': merge('type', mapList('type')),
  'PodStatus.podIPs': merge('ip', mapList('ip')),
  'PodStatus.hostIPs': merge('ip', atomic),
  'PodStatus.resourceClaimStatuses': {...merge('name', mapList('name')), 'x-kubernetes-patch-strategy': 'merge,retainKeys'},
  'PodStatus.containerStatuses': atomic,
  'PodStatus.initContainerStatuses': atomic,
  'PodStatus.ephemeralContainerStatuses': atomic,
  'ServiceSpec.ports': merge('port', mapList('port', 'protocol')),
  'ServiceSpec.externalIPs': atomic,
  'ServiceSpec.clusterIPs': atomic,
  'ServiceSpec.ipFamilies': atomic,
  'ServiceSpec.loadBalancerSourceRanges': atomic,
  'ServiceStatus.conditions': merge('type', mapList('type')),
  'NodeSpec.podCIDRs': {'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge'},
  'NodeSpec.taints': atomic,
  'NodeStatus.conditions': merge('type', mapList('type')),
  'NodeStatus.addresses': merge('type', mapList('type')),
  'NodeStatus.images': atomic,
  'NamespaceStatus.conditions': merge('type', mapList('type')),
  'ServiceAccount.secrets': merge('name', mapList('name')),
  'ServiceAccount.imagePullSecrets': atomic,
  'Endpoints.subsets': atomic,
  'DeploymentStatus.conditions': merge('type', mapList('type')),
  'ReplicaSetStatus.conditions': merge('type', mapList('type')),
  'LabelSelector.matchExpressions': atomic,
  'EndpointSlice.endpoints': atomic,
  'EndpointSlice.ports': atomic,
  'Endpoint.addresses': {'x-kubernetes-list-type': 'set'},
  'EndpointHints.forZones': atomic,
  'IngressSpec.tls': atomic,
  'IngressSpec.rules': atomic,
  'IngressTLS.hosts': atomic,
  'HTTPIngressRuleValue.paths': atomic,
  'IngressLoadBalancerStatus.ingress': atomic,
  'IngressLoadBalancerIngress.ports': atomic,
}

/** Types with their own JSON (un)marshalling in Go, served the way the real documents describe them. */
const SPECIAL = {
  // OpenAPI v3 spells Quantity and IntOrString as oneOf (kubectl explain then names them, not `string`).
  Quantity: {oneOf: [{type: 'string'}, {type: 'number'}]},
  Time: {type: 'string', format: 'date-time'},
  MicroTime: {type: 'string', format: 'date-time'},
  FieldsV1: {type: 'object'},
  RawExtension: {type: 'object'},
  Patch: {type: 'object'},
}
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'
const INT_OR_STRING_SCHEMA = {
  description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
  format: 'int-or-string',
  oneOf: [{type: 'integer'}, {type: 'string'}],
}

/** Groups whose DeleteOptions are accepted; the real document lists the same kind once per group. */
const DELETE_OPTIONS_GROUPS = ['', 'apps', 'coordination.k8s.io', 'policy', 'authorization.k8s.io', 'authentication.k8s.io', 'autoscaling', 'discovery.k8s.io', 'networking.k8s.io']

/**
 * The module declaring `name` as seen from module `from`: its own declaration when it has one (core/v1
 * and discovery/v1 both declare EndpointPort), else the one module that exports it.
 */
function moduleOf(index, name, from) {
  const found = index.get(name) ?? []
  if (found.includes(from)) return from
  if (found.length !== 1) throw new Error(`type ${name} is exported by ${found.length ? found.join(' and ') : 'no known kubernetes-types module'}`)
  return found[0]
}

/** name → the modules that export it, from the `export interface|type` declarations. */
function exportIndex() {
  const index = new Map()
  for (const mod of Object.keys(MODULES)) {
    const text = readFileSync(join(typesDir, `${mod}.d.ts`), 'utf8')
    for (const m of text.matchAll(/^export (?:interface|type) (\w+)/gm)) index.set(m[1], [...(index.get(m[1]) ?? []), mod])
  }
  return index
}

// `types: []` keeps ambient @types packages out of the program: otherwise a root name like `Node`
// resolves to estree's Node instead of core/v1's.
function isolatedTsconfig(dir) {
  const file = join(dir, 'tsconfig.json')
  writeFileSync(file, JSON.stringify({
    compilerOptions: {noEmit: true, target: 'es2022', module: 'commonjs', strictNullChecks: false, skipLibCheck: true, types: []},
    files: [],
  }))
  return file
}

function collectDefinitions(index) {
  const defs = {}
  const dir = mkdtempSync(join(tmpdir(), 'kcluster-gen-schemas-'))
  try {
    collectInto(defs, isolatedTsconfig(dir), index)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  return defs
}

/** Definitions by schema name, each with its short name and the module that declares it. */
function collectInto(defs, tsconfig, index) {
  for (const [mod, types] of Object.entries(ROOTS)) {
    const generator = createGenerator({
      path: join(typesDir, `${mod}.d.ts`),
      tsconfig,
      jsDoc: 'extended',
      skipTypeCheck: true,
      additionalProperties: false,
      topRef: true,
      expose: 'all',
    })
    for (const type of types) {
      const schema = generator.createSchema(type)
      for (const [short, def] of Object.entries(schema.definitions ?? {})) {
        const owner = moduleOf(index, short, mod)
        defs[`${MODULES[owner].prefix}.${short}`] ??= {short, mod: owner, def}
      }
    }
  }
}

function converter(index) {
  // A reference resolves from the module of the definition holding it.
  const nameOf = (short, from) => `${MODULES[moduleOf(index, short, from)].prefix}.${short}`
  const refTo = (ref, from) => ({$ref: `#/components/schemas/${nameOf(decodeURIComponent(ref.replace('#/definitions/', '')), from)}`})

  // A $ref cannot carry siblings in OpenAPI 3.0, so the real documents wrap it: {allOf:[{$ref}], ...}.
  const wrap = (schema, extra) => (schema.$ref ? {allOf: [schema], ...extra} : {...schema, ...extra})

  function convertType(node, where, from) {
    if (node.$ref) return refTo(node.$ref, from)
    const type = node.type
    if (Array.isArray(type)) {
      if (type.length === 2 && type.includes('number') && type.includes('string')) return {$ref: `#/components/schemas/${INT_OR_STRING}`}
      throw new Error(`${where}: unsupported union ${JSON.stringify(type)}`)
    }
    switch (type) {
      case 'string':
        return BYTES.has(where.replace(/\[\]$/, '')) ? {type: 'string', format: 'byte'} : {type: 'string'}
      case 'boolean':
        return {type: 'boolean'}
      case 'number':
        return {type: 'integer', format: INT64.has(where.replace(/\[\]$/, '')) ? 'int64' : 'int32'}
      case 'array':
        return {type: 'array', items: wrap(convertType(node.items, `${where}[]`, from), node.items.$ref ? {default: {}} : {})}
      case 'object':
        if (node.properties) throw new Error(`${where}: anonymous object types are not expected in kubernetes-types`)
        if (node.additionalProperties && typeof node.additionalProperties === 'object') {
          const value = convertType(node.additionalProperties, `${where}[]`, from)
          return {type: 'object', additionalProperties: wrap(value, value.$ref ? {default: {}} : {})}
        }
        return {type: 'object'}
      default:
        throw new Error(`${where}: unsupported schema ${JSON.stringify(node).slice(0, 200)}`)
    }
  }

  function convertDefinition(short, def, mod) {
    const description = def.description
    if (SPECIAL[short]) return {...(description ? {description} : {}), ...SPECIAL[short]}
    if (def.type !== 'object' || !def.properties) throw new Error(`${short}: expected an interface, got ${JSON.stringify(def).slice(0, 200)}`)
    const properties = {}
    for (const [field, prop] of Object.entries(def.properties)) {
      const key = `${short}.${field}`
      const extra = {...(prop.description ? {description: prop.description} : {}), ...(LIST_META[key] ?? {})}
      properties[field] = wrap(convertType(prop, key, mod), extra)
    }
    const out = {...(description ? {description} : {}), type: 'object', properties}
    if (def.required?.length) out.required = [...def.required].sort()
    const gvk = kindOf(short, def, mod)
    if (gvk) out['x-kubernetes-group-version-kind'] = gvk
    return out
  }

  function kindOf(short, def, mod) {
    if (short === 'Status') return [{group: '', kind: 'Status', version: 'v1'}]
    if (short === 'DeleteOptions') {
      return DELETE_OPTIONS_GROUPS.map((group) => ({group, kind: 'DeleteOptions', version: 'v1'}))
    }
    const kind = def.properties.kind?.const
    if (!kind || !def.properties.apiVersion?.const) return undefined
    return [{group: MODULES[mod].group, kind, version: MODULES[mod].version}]
  }

  return {convertDefinition}
}

function checkTables(schemas) {
  const seen = new Set(Object.entries(schemas).flatMap(([name, s]) =>
    Object.keys(s.properties ?? {}).map((field) => `${name.split('.').pop()}.${field}`)))
  for (const key of [...INT64, ...BYTES, ...Object.keys(LIST_META)]) {
    if (!seen.has(key)) throw new Error(`table entry ${key} names no generated field`)
  }
}

function main() {
  const started = Date.now()
  const index = exportIndex()
  const defs = collectDefinitions(index)
  const {convertDefinition} = converter(index)
  const schemas = {[INT_OR_STRING]: INT_OR_STRING_SCHEMA}
  for (const [name, {short, mod, def}] of Object.entries(defs)) schemas[name] = convertDefinition(short, def, mod)
  checkTables(schemas)
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]))
  const body = `${JSON.stringify({source: `kubernetes-types@${typesVersion}`, schemas: sorted})}\n`
  if (process.argv.includes('--check')) {
    // Used by the unit tests: the committed output must be what this script produces now.
    const current = readFileSync(OUT, 'utf8')
    if (current !== body) {
      process.stderr.write(`${OUT} is out of date; run npm run gen:schemas\n`)
      process.exit(1)
    }
    process.stdout.write(`${OUT} is up to date\n`)
    return
  }
  mkdirSync(dirname(OUT), {recursive: true})
  writeFileSync(OUT, body)
  process.stdout.write(`wrote ${Object.keys(sorted).length} schemas, ${body.length} bytes, in ${Date.now() - started} ms\n`)
}

main()
