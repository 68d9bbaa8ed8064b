// Decodes one protobuf message into the JSON object Go's encoding/json would print for the same typed
// struct, driven by the hand-written schemas (see schema.ts for the omitempty/pointer rules).
// Recursion is bounded by MAX_DEPTH and total work by a per-body field budget; every failure is a 400.
import {ApiError} from '../../api/errors.js'
import {malformed} from './decode-errors.js'
import {type FieldSpec, isSpecialType, type ScalarKind, type SchemaRegistry} from './schema.js'
import {decodeSpecial, isSpecialZero} from './special-types.js'
import {WireReader, WireType} from './wire-reader.js'

export const MAX_DEPTH = 64

export interface DecodeContext {
  readonly registry: SchemaRegistry
  readonly warnings: string[]
  /** Field reads left. Every field occurrence owns at least one byte, so body length bounds valid input. */
  budget: number
}

type JsonObject = Record<string, unknown>

export function decodeMessage(reader: WireReader, typeName: string, ctx: DecodeContext, path: string, depth: number, target: JsonObject = {}): JsonObject {
  if (depth > MAX_DEPTH) throw malformed(`message nesting deeper than ${MAX_DEPTH} at ${path || '<root>'}`)
  const schema = ctx.registry[typeName]
  if (schema === undefined) throw new ApiError(500, 'InternalError', `Internal error occurred: no protobuf schema named ${typeName}`)
  while (!reader.atEnd()) {
    spend(ctx)
    const {field, wireType} = reader.readTag()
    const spec = Object.hasOwn(schema, field) ? schema[field] : undefined
    if (spec === undefined) {
      reader.skip(wireType)
      ctx.warnings.push(`unknown field ${field} (wire type ${wireType}) in ${typeName} at ${path || '<root>'} was ignored`)
      continue
    }
    decodeField(reader, spec, field, wireType, target, ctx, path, depth, typeName)
  }
  return target
}

function decodeField(reader: WireReader, spec: FieldSpec, field: number, wireType: number, target: JsonObject, ctx: DecodeContext, path: string, depth: number, typeName: string): void {
  const where = join(path, spec.name)
  const expect = (expected: number): void => {
    if (wireType !== expected) throw malformed(`field ${field} (${spec.name || 'inline'}) of ${typeName} at ${where}: expected wire type ${expected}, got ${wireType}`)
  }
  if (spec.kind === 'map') {
    expect(WireType.bytes)
    decodeMapEntry(reader.readSub(), spec, target, ctx, where, depth)
    return
  }
  if (spec.kind === 'message') {
    expect(WireType.bytes)
    decodeMessageField(reader.readSub(), spec, target, ctx, path, depth)
    return
  }
  if (spec.repeated) {
    decodeRepeatedScalar(reader, spec.kind, wireType, listOf(target, spec.name), ctx, where, expect)
    return
  }
  expect(spec.kind === 'string' || spec.kind === 'bytes' ? WireType.bytes : WireType.varint)
  const value = readScalar(reader, spec.kind, where)
  // Last occurrence wins, as in proto; a zero value of an omitempty non-pointer field is dropped.
  if (isZero(value) && !spec.ptr && !spec.keepZero) delete target[spec.name]
  else target[spec.name] = value
}

function decodeMessageField(sub: WireReader, spec: FieldSpec, target: JsonObject, ctx: DecodeContext, path: string, depth: number): void {
  const type = spec.type as string
  const where = spec.repeated ? `${join(path, spec.name)}[${listOf(target, spec.name).length}]` : join(path, spec.name)
  if (isSpecialType(type)) {
    const value = decodeSpecial(sub, type, where)
    const dropped = value === undefined || (isSpecialZero(type, value) && !spec.ptr && !spec.keepZero)
    if (spec.repeated) {
      if (value !== undefined) listOf(target, spec.name).push(value)
    } else if (dropped) delete target[spec.name]
    else target[spec.name] = value
    return
  }
  if (spec.inline) {
    decodeMessage(sub, type, ctx, path, depth + 1, target)
    return
  }
  if (spec.repeated) {
    listOf(target, spec.name).push(decodeMessage(sub, type, ctx, where, depth + 1))
    return
  }
  // A message field seen twice merges, as proto requires.
  const existing = target[spec.name]
  target[spec.name] = decodeMessage(sub, type, ctx, where, depth + 1, isObject(existing) ? existing : {})
}

// proto map<string, V>: an entry message {1: key, 2: value}; either may be absent (zero value).
function decodeMapEntry(entry: WireReader, spec: FieldSpec, target: JsonObject, ctx: DecodeContext, where: string, depth: number): void {
  const valueType = spec.type as string
  let key = ''
  let value: unknown
  while (!entry.atEnd()) {
    spend(ctx)
    const {field, wireType} = entry.readTag()
    if (field === 1) {
      if (wireType !== WireType.bytes) throw malformed(`map key at ${where}: expected wire type 2, got ${wireType}`)
      key = entry.readString()
    } else if (field === 2) {
      if (wireType !== WireType.bytes) throw malformed(`map value at ${where}: expected wire type 2, got ${wireType}`)
      value = decodeMapValue(entry, valueType, ctx, `${where}[${JSON.stringify(key)}]`, depth)
    } else {
      entry.skip(wireType)
      ctx.warnings.push(`unknown field ${field} in a map entry at ${where} was ignored`)
    }
  }
  if (value === undefined) value = zeroMapValue(valueType)
  const map = target[spec.name]
  const object = isObject(map) ? map : {}
  // defineProperty: a key such as "__proto__" becomes an ordinary property instead of a prototype change.
  Object.defineProperty(object, key, {value, enumerable: true, writable: true, configurable: true})
  target[spec.name] = object
}

function decodeMapValue(entry: WireReader, valueType: string, ctx: DecodeContext, where: string, depth: number): unknown {
  if (valueType === 'string') return entry.readString()
  if (valueType === 'bytes') return entry.readBytes().toString('base64')
  const sub = entry.readSub()
  if (isSpecialType(valueType)) return decodeSpecial(sub, valueType, where)
  return decodeMessage(sub, valueType, ctx, where, depth + 1)
}

function zeroMapValue(valueType: string): unknown {
  if (valueType === 'string' || valueType === 'bytes') return ''
  if (valueType === 'Quantity') return '0'
  if (valueType === 'ExtraValue') return []
  return {}
}

// Go's gogo code accepts repeated numbers both unpacked (one tag per value) and packed (one length-delimited run).
function decodeRepeatedScalar(reader: WireReader, kind: ScalarKind, wireType: number, values: unknown[], ctx: DecodeContext, where: string, expect: (wt: number) => void): void {
  if ((kind === 'int32' || kind === 'int64' || kind === 'bool') && wireType === WireType.bytes) {
    const packed = reader.readSub()
    while (!packed.atEnd()) {
      spend(ctx)
      values.push(readScalar(packed, kind, where))
    }
    return
  }
  expect(kind === 'string' || kind === 'bytes' ? WireType.bytes : WireType.varint)
  values.push(readScalar(reader, kind, where))
}

function readScalar(reader: WireReader, kind: ScalarKind, where: string): string | number | boolean {
  switch (kind) {
    case 'string':
      return reader.readString()
    case 'bytes':
      return reader.readBytes().toString('base64')
    case 'bool':
      return reader.readVarint() !== 0n
    case 'int32':
      // Go's generated code truncates to 32 bits; negative int32s arrive sign-extended to 10 bytes.
      return Number(BigInt.asIntN(32, reader.readVarint()))
    case 'int64': {
      const value = BigInt.asIntN(64, reader.readVarint())
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw malformed(`integer ${value} at ${where} cannot be represented exactly in JSON`)
      }
      return Number(value)
    }
  }
}

function spend(ctx: DecodeContext): void {
  if (--ctx.budget < 0) throw malformed('body needs more decoding work than its size allows')
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false
}

function listOf(target: JsonObject, name: string): unknown[] {
  const existing = target[name]
  if (Array.isArray(existing)) return existing
  const created: unknown[] = []
  target[name] = created
  return created
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function join(path: string, name: string): string {
  if (name === '') return path
  return path === '' ? name : `${path}.${name}`
}
