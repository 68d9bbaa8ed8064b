// Bodies a client should never send: malformed and truncated JSON, YAML bombs, nesting thousands of
// levels deep, oversized strings and arrays. Each generator says whether its input could by chance be
// a valid object (then a 2xx is allowed), so the property stays exact where the input is certainly bad.
import fc from 'fast-check'
import type {FuzzRequest} from './fuzz-http.js'

export const FUZZ_NAMESPACE = 'fuzz'
export const CM_COLLECTION = `/api/v1/namespaces/${FUZZ_NAMESPACE}/configmaps`
export const POD_COLLECTION = `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods`
export const DEPLOY_COLLECTION = `/apis/apps/v1/namespaces/${FUZZ_NAMESPACE}/deployments`

const VALID_CM = JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'fuzz-cm', labels: {a: 'b'}}, data: {k: 'v'}})

const collections = fc.constantFrom(CM_COLLECTION, POD_COLLECTION, DEPLOY_COLLECTION)

/** Every proper prefix of an object's JSON text is invalid JSON: the closing brace is missing. */
export const truncatedJson: fc.Arbitrary<FuzzRequest> = fc
  .tuple(collections, fc.nat({max: VALID_CM.length - 1}))
  .map(([path, cut]) => ({method: 'POST', path, opts: {body: VALID_CM.slice(0, cut), contentType: 'application/json'}}))

/** One character inserted, deleted or replaced somewhere in a valid body; occasionally still valid. */
export const mutatedJson: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.nat({max: VALID_CM.length - 1}), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom('{', '}', '"', ',', ':', '[', ']', '\\', '\u0000', 'x', '1', ' ', '\uffff', '\ud800'))
  .map(([at, op, ch]) => {
    const body = op === 'insert' ? VALID_CM.slice(0, at) + ch + VALID_CM.slice(at) : op === 'delete' ? VALID_CM.slice(0, at) + VALID_CM.slice(at + 1) : VALID_CM.slice(0, at) + ch + VALID_CM.slice(at + 1)
    return {method: 'POST', path: CM_COLLECTION, opts: {body, contentType: 'application/json'}, maySucceed: true}
  })

/** Arbitrary text and bytes as JSON or YAML; a random string is never a complete named ConfigMap. */
export const garbageBody: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    collections,
    fc.oneof(fc.string({maxLength: 200}), fc.uint8Array({maxLength: 200}).map((b) => Buffer.from(b)), fc.json({maxDepth: 4})),
    fc.constantFrom('application/json', 'application/yaml', null),
  )
  .map(([path, body, contentType]) => ({method: 'POST', path, opts: {body: typeof body === 'string' && body === '' ? ' ' : body, contentType}}))

/** Billion laughs: nine levels of nine aliases each, ~387 million nodes if expanded. */
export function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i)
    const cur = String.fromCharCode(97 + i)
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`)
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n${lines.map((l) => `x${l}`).join('\n')}\n`
}

/** A nested flow collection `depth` levels deep, in JSON or YAML flow syntax. */
export function deepNesting(depth: number, style: 'array' | 'object'): string {
  return style === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
}

/** Deep nesting placed where a real field would go, so the decoder walks into it. */
export function deepInField(depth: number): string {
  return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","labels":${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}}}`
}

export const yamlBombs: FuzzRequest[] = [
  {method: 'POST', path: CM_COLLECTION, opts: {body: billionLaughs(), contentType: 'application/yaml'}},
  {method: 'POST', path: CM_COLLECTION, opts: {body: deepNesting(10_000, 'array'), contentType: 'application/yaml'}},
  {method: 'POST', path: CM_COLLECTION, opts: {body: deepNesting(10_000, 'object'), contentType: 'application/yaml'}},
  {method: 'POST', path: CM_COLLECTION, opts: {body: `data: ${deepNesting(10_000, 'array')}\n`, contentType: 'application/yaml'}},
  {method: 'POST', path: CM_COLLECTION, opts: {body: deepNesting(10_000, 'array'), contentType: 'application/json'}},
  {method: 'POST', path: CM_COLLECTION, opts: {body: deepNesting(10_000, 'object'), contentType: 'application/json'}},
  {method: 'POST', path: CM_COLLECTION, opts: {body: deepInField(10_000), contentType: 'application/json'}},
  {method: 'POST', path: DEPLOY_COLLECTION, opts: {body: deepInField(10_000), contentType: 'application/json'}},
]

const MIB = 1024 * 1024

/** Oversized input: past the 3 MiB body limit (413) or inside it with absurd sizes (400/422). */
export function hugeInputs(): FuzzRequest[] {
  const cm = (name: string, extra: Record<string, unknown> = {}) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, ...extra})
  return [
    {method: 'POST', path: CM_COLLECTION, opts: {body: cm('x'.repeat(2 * MIB))}},
    {method: 'POST', path: CM_COLLECTION, opts: {body: cm('big', {data: {k: 'x'.repeat(10 * MIB)}})}},
    {method: 'POST', path: CM_COLLECTION, opts: {body: Buffer.alloc(10 * MIB, 0x20), contentType: 'application/yaml'}},
    // 50,000 labels are legal upstream (no count limit); 300 KiB of annotations are not (256 KiB total).
    {method: 'POST', path: CM_COLLECTION, opts: {body: cm('labels', {metadata: {name: 'labels', labels: Object.fromEntries(Array.from({length: 50_000}, (_, i) => [`k${i}`, 'v']))}})}, maySucceed: true},
    {method: 'POST', path: CM_COLLECTION, opts: {body: cm('annotations', {metadata: {name: 'annotations', annotations: {big: 'x'.repeat(300 * 1024)}}})}},
    {method: 'POST', path: POD_COLLECTION, opts: {body: {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'many'}, spec: {containers: Array.from({length: 100_000}, () => ({}))}}}},
    {method: 'POST', path: CM_COLLECTION, opts: {body: cm('arr', {data: Array.from({length: 500_000}, () => 1)})}},
    {method: 'GET', path: `${CM_COLLECTION}?labelSelector=${'a'.repeat(64 * 1024)}`},
    {method: 'GET', path: `${CM_COLLECTION}/${'n'.repeat(16 * 1024)}`},
  ]
}
