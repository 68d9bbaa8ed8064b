// Protobuf request bodies (the `k8s\0` magic + runtime.Unknown) that are truncated, lie about their
// lengths, use the wrong wire types or nest past any sane depth.
import fc from 'fast-check'
import {envelope, message, varint, type Field} from '../fixtures/protobuf/wire-builder.js'
import {CM_COLLECTION, FUZZ_NAMESPACE} from './body-inputs.js'
import type {FuzzRequest} from './fuzz-http.js'

export const PROTOBUF = 'application/vnd.kubernetes.protobuf'
const MAGIC = Buffer.from('k8s\0', 'latin1')

/** ConfigMap {1: ObjectMeta{1: name, 11: labels{a: b}}, 2: data{k: v}} in the fuzz namespace. */
export function configMapEnvelope(name: string): Buffer {
  return envelope('v1', 'ConfigMap', [
    [1, [[1, name], [3, FUZZ_NAMESPACE], [11, [[1, 'a'], [2, 'b']]]]],
    [2, [[1, 'k'], [2, 'v']]],
  ])
}

const VALID = configMapEnvelope('pb-valid')

const post = (body: Buffer, maySucceed = false): FuzzRequest => ({method: 'POST', path: CM_COLLECTION, opts: {body, contentType: PROTOBUF}, maySucceed})

/** Cut before the end of the raw message: every such prefix breaks a length. */
const truncated = fc.integer({min: 0, max: VALID.length - 5}).map((cut) => post(VALID.subarray(0, cut)))

/** Flipped, inserted or deleted bytes anywhere after the magic; sometimes still a valid ConfigMap. */
const mutated = fc
  .array(fc.tuple(fc.integer({min: MAGIC.length, max: VALID.length - 1}), fc.constantFrom('flip', 'insert', 'delete'), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 4})
  .map((edits) => {
    let bytes = Buffer.from(VALID)
    for (const [at, op, byte] of edits) {
      const i = Math.min(at, bytes.length - 1)
      if (op === 'flip') bytes[i] = byte
      else if (op === 'insert') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.of(byte), bytes.subarray(i)])
      else bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)])
    }
    return post(bytes, true)
  })

/** A length prefix that claims more (or absurdly more) than is there, at the envelope and inside raw. */
const lyingLength = fc.oneof(
  fc.bigInt({min: 1n, max: (1n << 64n) - 1n}).map((len) => post(Buffer.concat([MAGIC, varint((2 << 3) | 2), varint(len), Buffer.from('short')]))),
  fc.bigInt({min: 6n, max: (1n << 64n) - 1n}).map((len) =>
    post(envelope('v1', 'ConfigMap', Buffer.concat([varint((1 << 3) | 2), varint(len), message([[1, 'x']])]))),
  ),
)

/** Every field number of the envelope and of ObjectMeta with each wrong wire type. */
const wrongWireType = fc.tuple(fc.integer({min: 1, max: 20}), fc.constantFrom(0, 1, 3, 4, 5, 6, 7)).chain(([field, wireType]) =>
  fc.constantFrom(
    post(Buffer.concat([MAGIC, varint((field << 3) | wireType), Buffer.alloc(8, 1)])),
    post(envelope('v1', 'ConfigMap', Buffer.concat([varint((1 << 3) | 2), varint(10), varint((field << 3) | wireType), Buffer.alloc(9, 0x81)]))),
  ),
)

/** Random bytes behind the magic, and random bytes in place of raw. */
const noise = fc.oneof(
  fc.uint8Array({maxLength: 300}).map((b) => post(Buffer.concat([MAGIC, Buffer.from(b)]), true)),
  fc.tuple(fc.constantFrom(['v1', 'ConfigMap'], ['v1', 'Pod'], ['apps/v1', 'Deployment'], ['v1', 'Nope'], ['', 'ConfigMap'], ['v1', '']), fc.uint8Array({maxLength: 300})).map(([[v, k], raw]) => post(envelope(v!, k!, Buffer.from(raw)), true)),
)

export const protobufRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(truncated, mutated, lyingLength, wrongWireType, noise)

/** Field 1 wrapped in itself `depth` times: ObjectMeta, then a name full of tags and lengths (422, not a crash). */
export function deepProtobuf(depth: number): Buffer {
  let inner: Buffer = Buffer.alloc(0)
  for (let i = 0; i < depth; i++) inner = Buffer.concat([varint((1 << 3) | 2), varint(inner.length), inner])
  return envelope('v1', 'ConfigMap', inner)
}

export const fixedProtobuf: FuzzRequest[] = [
  post(Buffer.from('k8s')),
  post(Buffer.from('k9s\0')),
  post(MAGIC),
  post(Buffer.concat([MAGIC, Buffer.alloc(16, 0xff)])),
  post(deepProtobuf(10_000)),
  post(envelope('v1', 'ConfigMap', [[1, [[1, 'deep-pb']]], [2, [[1, 'k'], [2, Buffer.alloc(0)]]], [99, 'x']]), true),
  post(envelope('v1', 'Secret', [[1, [[1, 'pb-secret']]], [2, [[1, 'k'], [2, Buffer.from([0xff, 0xfe])]]]]), true),
  // `raw` whose own header is valid but whose ObjectMeta repeats a field 100k times: work bounded by size.
  post(envelope('v1', 'ConfigMap', [[1, Array.from({length: 100_000}, (): Field => [1, 'n'])]]), true),
]
