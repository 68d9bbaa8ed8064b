// Invalid patches of every patch type (json-patch, merge-patch, strategic-merge-patch, apply-patch+yaml)
// against objects that exist, plus the one patch type the server does not know.
import fc from 'fast-check'
import {CM_COLLECTION, DEPLOY_COLLECTION} from './body-inputs.js'
import type {FuzzRequest} from './fuzz-http.js'

export const PATCH_CM = 'patch-target'
export const PATCH_DEPLOY = 'patch-deploy'

export const JSON_PATCH = 'application/json-patch+json'
export const MERGE_PATCH = 'application/merge-patch+json'
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json'
export const APPLY_PATCH = 'application/apply-patch+yaml'

const targets = fc.constantFrom(`${CM_COLLECTION}/${PATCH_CM}`, `${DEPLOY_COLLECTION}/${PATCH_DEPLOY}`)
const pointer = fc.oneof(
  fc.constantFrom('', '/', '/metadata', '/metadata/labels/a', '/spec/replicas', '/data/k', '/data/-', '/spec/template/spec/containers/-', '/spec/template/spec/containers/99', '/spec/template/spec/containers/01', '/x~2y', '/__proto__/polluted', '/constructor/prototype', 'metadata'),
  fc.array(fc.string({maxLength: 6}), {maxLength: 4}).map((segments) => segments.map((s) => `/${s}`).join('')),
)
const anyValue = fc.oneof(fc.jsonValue({maxDepth: 2}), fc.constant(undefined))

/** A JSON patch that cannot apply: a wrong shape, unknown op, bad pointer or a failing test. */
const badJsonPatch = fc.oneof(
  fc.jsonValue({maxDepth: 2}).filter((v) => !Array.isArray(v)),
  fc.array(fc.jsonValue({maxDepth: 1}).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)), {minLength: 1, maxLength: 3}),
  fc.array(
    fc.record({op: fc.oneof(fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'ADD', '', 'merge'), fc.integer()), path: fc.oneof(pointer, fc.integer(), fc.constant(null)), from: fc.oneof(pointer, fc.constant(undefined)), value: anyValue}, {requiredKeys: ['op']}),
    {minLength: 1, maxLength: 4},
  ).map((ops) => [...ops, {op: 'test', path: '/metadata/name', value: 'certainly-not-the-name'}]),
)

/** A merge patch whose result has a wrong type somewhere, or is not an object at all, with the object it is wrong for. */
const badMergePatch: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(targets, fc.constantFrom<unknown>([], [1], 'x', 5, true, {metadata: 'x'}, {metadata: {labels: ['a']}}, {metadata: {name: 7}}, {kind: 9}, {apiVersion: {}}, {metadata: {labels: {a: {b: 1}}}})),
  fc.tuple(fc.constant(`${CM_COLLECTION}/${PATCH_CM}`), fc.constantFrom<unknown>({data: {k: 5}}, {data: []}, {binaryData: {k: 'not base64!'}}, {immutable: 'yes'})),
  fc.tuple(fc.constant(`${DEPLOY_COLLECTION}/${PATCH_DEPLOY}`), fc.constantFrom<unknown>({spec: {replicas: 'three'}}, {spec: {replicas: -1}}, {spec: {selector: {matchLabels: {other: 'x'}}}}, {spec: {template: {spec: {containers: null}}}})),
  fc.tuple(targets, fc.record({metadata: fc.record({labels: fc.dictionary(fc.string({maxLength: 5}), fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string())), {minKeys: 1, maxKeys: 3})})})),
)

/** Strategic merge directives used wrongly, and wrong types in keyed lists. */
const badStrategicPatch = fc.oneof(
  fc.constantFrom<unknown>(
    {$patch: 'explode'},
    {spec: {template: {spec: {containers: [{$patch: 'delete'}]}}}},
    {spec: {template: {spec: {containers: 'nginx'}}}},
    {spec: {template: {spec: {containers: [{name: 5}]}}}},
    {spec: {template: {spec: {containers: [{$patch: 'replace', name: 'c'}, 7]}}}},
    {spec: {template: {spec: {$setElementOrder: 'x'}}}},
    {spec: {template: {spec: {'$setElementOrder/containers': 'x'}}}},
    {metadata: {'$deleteFromPrimitiveList/finalizers': 'x'}},
    {metadata: {$retainKeys: 'labels'}},
    {spec: {$retainKeys: [1, 2]}},
    [],
    'str',
    {spec: {template: {spec: {containers: [{name: 'c', ports: [{containerPort: 'eighty'}]}]}}}},
  ),
  fc.dictionary(fc.constantFrom('$patch', '$retainKeys', '$setElementOrder/containers', '$deleteFromPrimitiveList/finalizers'), fc.jsonValue({maxDepth: 2}), {minKeys: 1, maxKeys: 2}).map((d) => ({spec: {template: {spec: d}}, data: {k: 5}})),
)

/** apply-patch+yaml bodies that are not an applicable object for the URL. */
const badApplyPatch = fc.oneof(
  fc.constantFrom(
    '',
    '- a\n- b\n',
    'just a string',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other-name\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: patch-target\ndata: [1, 2]\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [patch-target]\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: patch-deploy\nspec:\n  replicas: many\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: patch-target\n',
    'a: &a [*a]\n',
    'a: *undefined\n',
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "patch-target"}, "data": {"k": {"nested": 1}}}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: patch-target\n  name: patch-target\n',
    '\t- tab',
  ),
  fc.string({maxLength: 60}).map((s) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: patch-target\ndata:\n  k: [${s}]\n`),
)

export const patchRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.tuple(targets, badJsonPatch).map(([path, body]) => ({method: 'PATCH', path, opts: {body: JSON.stringify(body) ?? 'null', contentType: JSON_PATCH}})),
  badMergePatch.map(([path, body]) => ({method: 'PATCH', path, opts: {body: JSON.stringify(body), contentType: MERGE_PATCH}})),
  // Directives aimed at a Deployment's pod template: on a ConfigMap they name unknown fields, which are dropped.
  badStrategicPatch.map((body) => [`${DEPLOY_COLLECTION}/${PATCH_DEPLOY}`, body] as const).map(([path, body]) => ({method: 'PATCH', path, opts: {body: JSON.stringify(body), contentType: STRATEGIC_PATCH}})),
  badApplyPatch.map((body) => ({method: 'PATCH', path: `${CM_COLLECTION}/${PATCH_CM}?fieldManager=fuzz`, opts: {body: body === '' ? ' ' : body, contentType: APPLY_PATCH}})),
  fc.tuple(targets, fc.constantFrom('application/json', 'text/plain', 'application/patch', 'application/apply-patch+json', '')).map(([path, contentType]) => ({method: 'PATCH', path, opts: {body: '{}', contentType}})),
  fc.tuple(targets, fc.constantFrom(JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH), fc.string({maxLength: 40})).map(([path, contentType, text]) => ({method: 'PATCH', path, opts: {body: `${text}{`, contentType}})),
)

/**
 * A JSON patch bomb: each copy doubles a subtree, so 40 operations describe 2^40 nodes while the
 * body is a few kilobytes. evanphx/json-patch caps the accumulated copy size at the body limit.
 */
export function copyBomb(target: string): FuzzRequest {
  const ops: unknown[] = [{op: 'add', path: '/metadata/annotations', value: {seed: 'x'.repeat(64)}}]
  for (let i = 0; i < 40; i++) ops.push({op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}`})
  return {method: 'PATCH', path: target, opts: {body: JSON.stringify(ops), contentType: JSON_PATCH}}
}
