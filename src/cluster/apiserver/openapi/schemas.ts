// The component schemas generated from kubernetes-types by scripts/gen-schemas.mjs (committed JSON, read
// once on first use so that processes which never serve OpenAPI or validate bodies pay nothing).
import {readFileSync} from 'node:fs'

export interface GroupVersionKind {
  group: string
  version: string
  kind: string
}

/** The subset of OpenAPI 3.0 schema objects the generator emits. */
export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number'
  oneOf?: OpenApiSchema[]
  format?: string
  description?: string
  properties?: Record<string, OpenApiSchema>
  additionalProperties?: OpenApiSchema
  items?: OpenApiSchema
  allOf?: OpenApiSchema[]
  $ref?: string
  required?: string[]
  default?: unknown
  'x-kubernetes-group-version-kind'?: GroupVersionKind[]
  [extension: `x-${string}`]: unknown
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/'

interface GeneratedFile {
  source: string
  schemas: Record<string, OpenApiSchema>
}

let loaded: GeneratedFile | undefined
let byKind: Map<string, string> | undefined

function generated(): GeneratedFile {
  loaded ??= JSON.parse(readFileSync(new URL('./generated/schemas.json', import.meta.url), 'utf8')) as GeneratedFile
  return loaded
}

export function componentSchemas(): Readonly<Record<string, OpenApiSchema>> {
  return generated().schemas
}

function kindKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`
}

/** The component schema name of a kind (`io.k8s.api.apps.v1.Deployment`), from `x-kubernetes-group-version-kind`. */
export function schemaNameOf(gvk: GroupVersionKind): string | undefined {
  if (!byKind) {
    byKind = new Map()
    for (const [name, schema] of Object.entries(componentSchemas())) {
      for (const k of schema['x-kubernetes-group-version-kind'] ?? []) byKind.set(kindKey(k), name)
    }
  }
  return byKind.get(kindKey(gvk))
}

/** Follows `{allOf: [{$ref}]}` and `{$ref}` to the named schema; returns the schema itself otherwise. */
export function resolveSchema(schema: OpenApiSchema): {name?: string; schema: OpenApiSchema} {
  const ref = schema.allOf?.[0]?.$ref ?? schema.$ref
  if (!ref) return {schema}
  const name = ref.slice(SCHEMA_REF_PREFIX.length)
  const target = componentSchemas()[name]
  if (!target) throw new Error(`OpenAPI schema ${name} is referenced but not generated`)
  return {name, schema: target}
}

/** The short Go type name: `io.k8s.api.apps.v1.DeploymentSpec` → `DeploymentSpec`. */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1)
}
