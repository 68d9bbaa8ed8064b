import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import {decodeProtobufObject} from '../../../../src/cluster/apiserver/protobuf/decode.js'
import {decodeMessage, MAX_DEPTH} from '../../../../src/cluster/apiserver/protobuf/decode-message.js'
import {int32, msg, type SchemaRegistry} from '../../../../src/cluster/apiserver/protobuf/schema.js'
import {WireReader} from '../../../../src/cluster/apiserver/protobuf/wire-reader.js'
import {envelope, message, varint} from '../../../fixtures/protobuf/wire-builder.js'

const MAGIC = Buffer.from('k8s\0', 'latin1')

function rejection(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  return expect.fail('expected an ApiError')
}

function rejectBody(body: Buffer): ApiError {
  return rejection(() => decodeProtobufObject(body))
}

describe('envelope problems', () => {
  it('rejects a body without the k8s magic as 400 BadRequest', () => {
    for (const body of [Buffer.alloc(0), Buffer.from('k8s'), Buffer.from('{"kind":"Pod"}'), Buffer.from('k8s\x01\x0a\x00')]) {
      const error = rejectBody(body)
      expect([error.code, error.reason]).toEqual([400, 'BadRequest'])
      expect(error.message).toMatch(/^the object provided is unrecognized \/ could not be decoded as protobuf: .*magic/)
    }
  })

  it('rejects an envelope without kind or apiVersion as 400', () => {
    expect(rejectBody(envelope('v1', '', [])).message).toMatch(/names no kind/)
    expect(rejectBody(envelope('', 'Pod', [])).message).toMatch(/names no apiVersion/)
    expect(rejectBody(MAGIC).code).toBe(400)
  })

  it('answers a kind without a schema with 415 and the media-type message kubectl prints', () => {
    const error = rejectBody(envelope('rbac.authorization.k8s.io/v1', 'Role', [[1, [[1, 'r']]]]))
    expect([error.code, error.reason]).toEqual([415, 'UnsupportedMediaType'])
    expect(error.message).toBe('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml')
    expect(rejectBody(envelope('apps/v1beta1', 'Deployment', [])).code).toBe(415)
  })

  it('decodes an envelope with no raw payload as an empty object of that kind', () => {
    const body = Buffer.concat([MAGIC, message([[1, [[1, 'v1'], [2, 'ConfigMap']]]])])
    expect(decodeProtobufObject(body).object).toEqual({apiVersion: 'v1', kind: 'ConfigMap'})
  })

  it('rejects an envelope field with the wrong wire type', () => {
    expect(rejectBody(Buffer.concat([MAGIC, message([[1, 5]])])).message).toMatch(/envelope field 1: expected wire type 2, got 0/)
  })
})

describe('malformed wire data', () => {
  const good = envelope('v1', 'ConfigMap', [[1, [[1, 'c']]], [2, [[1, 'a'], [2, 'b']]]])

  it('rejects a length prefix that reaches past the end', () => {
    // Claim a 100-byte name inside metadata.
    const body = envelope('v1', 'ConfigMap', Buffer.concat([varint((1 << 3) | 2), varint(3), varint((1 << 3) | 2), varint(100), Buffer.from('c')]))
    expect(rejectBody(body).message).toMatch(/length 100 exceeds the 1 bytes left/)
  })

  it('rejects a truncated varint and a varint longer than 64 bits', () => {
    // 0x28 is field 5 (not an envelope field), varint wire type.
    expect(rejectBody(Buffer.concat([MAGIC, Buffer.from([0x28, 0x80])])).message).toMatch(/truncated varint/)
    const eleven = Buffer.concat([MAGIC, Buffer.from([0x28]), Buffer.alloc(10, 0xff), Buffer.from([0x01])])
    expect(rejectBody(eleven).message).toMatch(/varint overflows 64 bits/)
    const tenthTooBig = Buffer.concat([MAGIC, Buffer.from([0x28]), Buffer.alloc(9, 0xff), Buffer.from([0x02])])
    expect(rejectBody(tenthTooBig).message).toMatch(/varint overflows 64 bits/)
  })

  it('rejects a known field sent with the wrong wire type, naming the field', () => {
    const body = envelope('v1', 'ConfigMap', [[1, [[1, 7]]]])
    expect(rejectBody(body).message).toMatch(/field 1 \(name\) of meta\.ObjectMeta at metadata\.name: expected wire type 2, got 0/)
  })

  it('rejects field number 0 and the obsolete group wire types', () => {
    expect(rejectBody(envelope('v1', 'ConfigMap', Buffer.from([0x02, 0x00]))).message).toMatch(/invalid field number 0/)
    expect(rejectBody(envelope('v1', 'ConfigMap', Buffer.from([(9 << 3) | 3]))).message).toMatch(/unsupported wire type 3/)
  })

  it('rejects an int64 that JSON numbers cannot carry exactly', () => {
    const body = envelope('apps/v1', 'Deployment', [[1, [[7, 2n ** 60n]]]])
    expect(rejectBody(body).message).toMatch(/cannot be represented exactly/)
  })

  it('accepts the well-formed control body', () => {
    expect(decodeProtobufObject(good).object).toEqual({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {a: 'b'}})
  })
})

describe('recursion limit', () => {
  const registry: SchemaRegistry = {'t.Node': {1: msg('child', 't.Node'), 2: int32('n')}}

  // Built inside-out without recursion, so the test itself can nest far past the stack limit.
  function nested(levels: number): Buffer {
    let body = message([[2, 1]])
    for (let i = 1; i < levels; i++) body = Buffer.concat([Buffer.from([0x0a]), varint(body.length), body])
    return body
  }

  function decodeNested(levels: number) {
    const body = nested(levels)
    return decodeMessage(new WireReader(body), 't.Node', {registry, warnings: [], budget: body.length + 16}, '', 1)
  }

  it(`decodes messages nested ${MAX_DEPTH} deep`, () => {
    let node = decodeNested(MAX_DEPTH) as Record<string, unknown>
    for (let i = 1; i < MAX_DEPTH; i++) node = node.child as Record<string, unknown>
    expect(node).toEqual({n: 1})
  })

  it(`rejects nesting deeper than ${MAX_DEPTH} with 400 instead of recursing`, () => {
    const error = rejection(() => decodeNested(MAX_DEPTH + 1))
    expect(error.code).toBe(400)
    expect(error.message).toMatch(/nesting deeper than 64/)
    expect(rejection(() => decodeNested(20_000)).code).toBe(400)
  })
})
