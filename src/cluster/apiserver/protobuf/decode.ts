// Entry point for `Content-Type: application/vnd.kubernetes.protobuf` request bodies. The envelope is
// the magic "k8s\0" followed by runtime.Unknown {1: TypeMeta{1: apiVersion, 2: kind}, 2: raw,
// 3: contentEncoding, 4: contentType}; `raw` is the typed message, decoded by schema into the JSON
// kubectl would have sent. Anything but a clean decode is an ApiError (400, or 415 for an unknown kind).
import {ApiError, internalError} from '../../api/errors.js'
import {malformed, unsupportedKind} from './decode-errors.js'
import {decodeMessage} from './decode-message.js'
import {SCHEMAS, schemaForKind} from './kinds.js'
import {WireReader, WireType} from './wire-reader.js'

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00])

export interface DecodedProtobufObject {
  /** `{apiVersion, kind, ...}` shaped like the JSON form of the same object. */
  object: Record<string, unknown>
  /** Unknown fields that were skipped, one sentence each. */
  warnings: string[]
}

interface Envelope {
  apiVersion: string
  kind: string
  raw: Buffer
}

export function decodeProtobufObject(body: Buffer): DecodedProtobufObject {
  try {
    return decodeUnchecked(body)
  } catch (error) {
    if (error instanceof ApiError) throw error
    // Defensive: the decoder is written to throw only ApiError; anything else is a bug, not the client's fault.
    throw internalError('protobuf decoding failed unexpectedly', error)
  }
}

function decodeUnchecked(body: Buffer): DecodedProtobufObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw malformed('the body does not start with the Kubernetes protobuf magic 6b 38 73 00 ("k8s\\0")')
  }
  const warnings: string[] = []
  const envelope = readEnvelope(new WireReader(body, MAGIC.length), warnings)
  if (envelope.apiVersion === '' || envelope.kind === '') {
    throw malformed(`the envelope names no ${envelope.kind === '' ? 'kind' : 'apiVersion'}`)
  }
  const schema = schemaForKind(envelope.apiVersion, envelope.kind)
  if (schema === undefined) throw unsupportedKind()
  const ctx = {registry: SCHEMAS, warnings, budget: body.length + 16}
  const decoded = decodeMessage(new WireReader(envelope.raw), schema, ctx, '', 1)
  return {object: {apiVersion: envelope.apiVersion, kind: envelope.kind, ...decoded}, warnings}
}

function readEnvelope(reader: WireReader, warnings: string[]): Envelope {
  const envelope: Envelope = {apiVersion: '', kind: '', raw: Buffer.alloc(0)}
  while (!reader.atEnd()) {
    const {field, wireType} = reader.readTag()
    if (field >= 1 && field <= 4 && wireType !== WireType.bytes) {
      throw malformed(`envelope field ${field}: expected wire type 2, got ${wireType}`)
    }
    if (field === 1) readTypeMeta(reader.readSub(), envelope, warnings)
    else if (field === 2) envelope.raw = reader.readBytes()
    else if (field === 3 || field === 4) {
      // contentEncoding/contentType are always empty from kubectl; the outer Content-Type already chose protobuf.
      const value = reader.readString()
      if (value !== '') warnings.push(`envelope ${field === 3 ? 'contentEncoding' : 'contentType'} ${JSON.stringify(value)} was ignored`)
    } else {
      reader.skip(wireType)
      warnings.push(`unknown envelope field ${field} was ignored`)
    }
  }
  return envelope
}

function readTypeMeta(reader: WireReader, envelope: Envelope, warnings: string[]): void {
  while (!reader.atEnd()) {
    const {field, wireType} = reader.readTag()
    if ((field === 1 || field === 2) && wireType !== WireType.bytes) {
      throw malformed(`envelope TypeMeta field ${field}: expected wire type 2, got ${wireType}`)
    }
    if (field === 1) envelope.apiVersion = reader.readString()
    else if (field === 2) envelope.kind = reader.readString()
    else {
      reader.skip(wireType)
      warnings.push(`unknown envelope TypeMeta field ${field} was ignored`)
    }
  }
}
