// Replays what the API server's JSON decoder (sigs.k8s.io/json, a fork of encoding/json, into the typed Go
// struct) would say about a request body, walking the generated schemas in the body's own key order:
//   - a type mismatch is remembered (the first one wins) and decoding goes on, as in encoding/json; its
//     path is the dotted JSON field names without list indices, prefixed by the innermost Go struct;
//   - an error from a custom UnmarshalJSON (Quantity, Time, IntOrString) ends decoding at once and wins;
//   - with strict decoding, every unknown field is listed by its full path, indices included.
// Why not ajv: its errors carry JSON pointers and schema keywords, and turning them back into Go's
// struct names, index-free paths and first-error-wins order is more code than this walk, which is linear
// in the size of the body.
import {elementGoType, goTypeOfField, goTypeOfSchema} from './go-types.js'
import {base64Error, quantityError, timeError} from './go-unmarshalers.js'
import {resolveSchema, shortName, type OpenApiSchema} from './schemas.js'

export interface DecodeResult {
  /** The error the decoder returns (type mismatch or custom unmarshaler), without the server's prefix. */
  error?: string
  /** `unknown field "spec.foo"` for each unknown field, in document order (only when asked for). */
  unknownFields: string[]
}

interface State {
  saved?: string
  fatal?: string
  unknown: string[]
  strict: boolean
}

interface Context {
  struct: string
  fieldStack: string[]
  strictPath: string
}

const INT_RANGE = {int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]} as const

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'boolean') return 'bool'
  return typeof value // string, number, object
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function typeError(kind: string, goType: string, ctx: Context): string {
  return ctx.struct || ctx.fieldStack.length
    ? `json: cannot unmarshal ${kind} into Go struct field ${ctx.struct}.${ctx.fieldStack.join('.')} of type ${goType}`
    : `json: cannot unmarshal ${kind} into Go value of type ${goType}`
}

function save(st: State, message: string): void {
  st.saved ??= message
}

/** Integer targets: the literal is named when it is a number that does not fit (`number 1.5`). */
function intError(value: unknown, goType: string, width: 'int32' | 'int64', ctx: Context): string | undefined {
  if (typeof value !== 'number') return typeError(jsonKind(value), goType, ctx)
  const [min, max] = INT_RANGE[width]
  return Number.isInteger(value) && value >= min && value <= max ? undefined : typeError(`number ${value}`, goType, ctx)
}

function decodeSpecial(name: string, value: unknown, st: State, ctx: Context): boolean {
  switch (shortName(name)) {
    case 'Quantity':
      st.fatal = quantityError(value)
      return true
    case 'IntOrString':
      // IntOrString.UnmarshalJSON re-decodes a non-string into an int32; that error gets the field context.
      if (typeof value !== 'string') st.fatal = intError(value, 'int32', 'int32', ctx)
      return true
    case 'Time':
    case 'MicroTime':
      st.fatal = typeof value === 'string' ? timeError(value) : typeError(jsonKind(value), 'string', ctx)
      return true
    case 'FieldsV1':
    case 'RawExtension':
    case 'Patch':
      return true
    default:
      return false
  }
}

function decodeStruct(obj: Record<string, unknown>, name: string, schema: OpenApiSchema, st: State, ctx: Context): void {
  const struct = shortName(name)
  for (const [key, value] of Object.entries(obj)) {
    if (st.fatal) return
    const path = ctx.strictPath ? `${ctx.strictPath}.${key}` : key
    const prop = schema.properties?.[key]
    if (!prop) {
      if (st.strict) st.unknown.push(`unknown field "${path}"`)
      // Go's decoder has nowhere to put an unknown field, so (when the request is not refused) it is
      // dropped, never stored: remove it from the body.
      delete obj[key]
      continue
    }
    decodeValue(value, prop, goTypeOfField(name, key, prop), st, {struct, fieldStack: [...ctx.fieldStack, key], strictPath: path})
  }
}

function decodeValue(value: unknown, propSchema: OpenApiSchema, goType: string, st: State, ctx: Context): void {
  if (value === null || st.fatal) return // null leaves a Go field at its zero value, whatever its type
  const {name, schema} = resolveSchema(propSchema)
  if (name && decodeSpecial(name, value, st, ctx)) return
  if (schema.properties) {
    if (isObject(value)) decodeStruct(value, name ?? '', schema, st, ctx)
    else save(st, typeError(jsonKind(value), goType, ctx))
    return
  }
  switch (schema.type) {
    case 'object':
      if (!schema.additionalProperties) return // free-form
      if (!isObject(value)) return save(st, typeError(jsonKind(value), goType, ctx))
      for (const [key, v] of Object.entries(value)) {
        decodeValue(v, schema.additionalProperties, elementGoType(goType, schema), st, {...ctx, strictPath: `${ctx.strictPath}.${key}`})
      }
      return
    case 'array':
      if (!Array.isArray(value)) return save(st, typeError(jsonKind(value), goType, ctx))
      value.forEach((v, i) => decodeValue(v, schema.items ?? {}, elementGoType(goType, schema), st, {...ctx, strictPath: `${ctx.strictPath}[${i}]`}))
      return
    case 'integer': {
      const err = intError(value, goType, schema.format === 'int64' ? 'int64' : 'int32', ctx)
      if (err) save(st, err)
      return
    }
    case 'boolean':
      if (typeof value !== 'boolean') save(st, typeError(jsonKind(value), goType, ctx))
      return
    case 'string':
      if (typeof value !== 'string') {
        // A JSON array of byte values also decodes into a Go []byte.
        if (schema.format !== 'byte' || !Array.isArray(value)) save(st, typeError(jsonKind(value), goType, ctx))
      } else if (schema.format === 'byte') {
        const err = base64Error(value)
        if (err) save(st, err)
      }
      return
    default:
      return
  }
}

/** Decodes `body` into the kind whose component schema is `schemaName`, as the API server would. */
export function goDecode(body: unknown, schemaName: string, schema: OpenApiSchema, strict: boolean): DecodeResult {
  const st: State = {unknown: [], strict}
  const ctx: Context = {struct: '', fieldStack: [], strictPath: ''}
  if (!isObject(body)) {
    if (body !== null) save(st, typeError(jsonKind(body), goTypeOfSchema({$ref: `#/components/schemas/${schemaName}`}), ctx))
  } else {
    decodeStruct(body, schemaName, schema, st, ctx)
  }
  return {error: st.fatal ?? st.saved, unknownFields: st.unknown}
}
