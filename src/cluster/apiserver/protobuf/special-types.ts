// Messages whose JSON form is not an object: metav1.Time/MicroTime (RFC 3339 strings), resource.Quantity
// (a string), intstr.IntOrString (a number or a string), metav1.FieldsV1 (embedded JSON) and the
// authentication ExtraValue (a string list). Each returns undefined when Go's JSON would print null.
import {malformed} from './decode-errors.js'
import type {SpecialType} from './schema.js'
import {WireReader, WireType} from './wire-reader.js'

// Go's time.Time.MarshalJSON refuses years outside [0, 9999].
const MIN_SECONDS = -62167219200n // 0000-01-01T00:00:00Z
const MAX_SECONDS = 253402300799n // 9999-12-31T23:59:59Z

export function decodeSpecial(reader: WireReader, type: SpecialType, where: string): unknown {
  switch (type) {
    case 'Time':
      return decodeTime(reader, where, false)
    case 'MicroTime':
      return decodeTime(reader, where, true)
    case 'Quantity':
      return decodeQuantity(reader, where)
    case 'IntOrString':
      return decodeIntOrString(reader, where)
    case 'FieldsV1':
      return decodeFieldsV1(reader, where)
    case 'ExtraValue':
      return decodeExtraValue(reader, where)
  }
}

/** Is this the value Go would drop for a non-pointer omitempty field (IntOrString's zero is int 0)? */
export function isSpecialZero(type: SpecialType, value: unknown): boolean {
  return type === 'IntOrString' && value === 0
}

function expectWireType(actual: number, expected: number, what: string, where: string): void {
  if (actual !== expected) throw malformed(`${what} at ${where}: expected wire type ${expected}, got ${actual}`)
}

// metav1.Time marshals a zero time as an empty message and unmarshals an empty message as zero time
// (printed as null). Time keeps whole seconds only (Go drops nanos on decode); MicroTime keeps micros.
function decodeTime(reader: WireReader, where: string, micro: boolean): string | undefined {
  if (reader.atEnd()) return undefined
  let seconds = 0n
  let nanos = 0n
  while (!reader.atEnd()) {
    const {field, wireType} = reader.readTag()
    if (field === 1) {
      expectWireType(wireType, WireType.varint, 'Time.seconds', where)
      seconds = BigInt.asIntN(64, reader.readVarint())
    } else if (field === 2) {
      expectWireType(wireType, WireType.varint, 'Time.nanos', where)
      nanos = BigInt.asIntN(32, reader.readVarint())
    } else {
      reader.skip(wireType)
    }
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw malformed(`time at ${where} is outside years 0-9999`)
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  if (!micro) return `${base}Z`
  if (nanos < 0n || nanos > 999_999_999n) throw malformed(`time at ${where} has nanos ${nanos} outside 0-999999999`)
  return `${base}.${String(nanos / 1000n).padStart(6, '0')}Z`
}

// An absent string is Go's zero Quantity, which prints as "0". The string is passed through unparsed:
// validating quantities is the API server's job, as it is for JSON bodies.
function decodeQuantity(reader: WireReader, where: string): string {
  let value = '0'
  while (!reader.atEnd()) {
    const {field, wireType} = reader.readTag()
    if (field === 1) {
      expectWireType(wireType, WireType.bytes, 'Quantity.string', where)
      value = reader.readString()
    } else {
      reader.skip(wireType)
    }
  }
  return value
}

function decodeIntOrString(reader: WireReader, where: string): number | string {
  let type = 0n
  let intVal = 0
  let strVal = ''
  while (!reader.atEnd()) {
    const {field, wireType} = reader.readTag()
    if (field === 1) {
      expectWireType(wireType, WireType.varint, 'IntOrString.type', where)
      type = BigInt.asIntN(64, reader.readVarint())
    } else if (field === 2) {
      expectWireType(wireType, WireType.varint, 'IntOrString.intVal', where)
      intVal = Number(BigInt.asIntN(32, reader.readVarint()))
    } else if (field === 3) {
      expectWireType(wireType, WireType.bytes, 'IntOrString.strVal', where)
      strVal = reader.readString()
    } else {
      reader.skip(wireType)
    }
  }
  if (type === 0n) return intVal
  if (type === 1n) return strVal
  throw malformed(`IntOrString at ${where} has unknown type ${type}`)
}

// FieldsV1 carries managed-fields JSON as raw bytes; an empty raw is null in Go's JSON.
function decodeFieldsV1(reader: WireReader, where: string): unknown {
  let raw: Buffer | undefined
  while (!reader.atEnd()) {
    const {field, wireType} = reader.readTag()
    if (field === 1) {
      expectWireType(wireType, WireType.bytes, 'FieldsV1.raw', where)
      raw = reader.readBytes()
    } else {
      reader.skip(wireType)
    }
  }
  if (raw === undefined || raw.length === 0) return undefined
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw malformed(`FieldsV1 at ${where} is not valid JSON`)
  }
}

function decodeExtraValue(reader: WireReader, where: string): string[] {
  const items: string[] = []
  while (!reader.atEnd()) {
    const {field, wireType} = reader.readTag()
    if (field === 1) {
      expectWireType(wireType, WireType.bytes, 'ExtraValue.items', where)
      items.push(reader.readString())
    } else {
      reader.skip(wireType)
    }
  }
  return items
}
