import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import {applyJsonPatch} from '../../../../src/cluster/apiserver/patch/json-patch.js'
import {liveDeployment} from './live-objects.js'

type Obj = Record<string, unknown>

// kubectl rollout undo (rollout_undo.reqs): replace the template and the annotations with revision 2's.
const ROLLOUT_UNDO_BODY =
  '[{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80},{"containerPort":443}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"resources":{}}]}}},{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"2","kubectl.kubernetes.io/last-applied-configuration":"{}\\n"}}]'
// kubectl patch --type=json (patch_json.reqs).
const PATCH_JSON_BODY = '[{"op":"add","path":"/metadata/labels/j","value":"2"}]'
// SSA migration (ssa_deploy.reqs), shortened managedFields.
const SSA_MIGRATION_BODY =
  '[{"op":"replace","path":"/metadata/managedFields","value":[{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2026-11-22T08:04:30Z","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},{"op":"replace","path":"/metadata/resourceVersion","value":"1023"}]'

function patched(body: string | unknown[]): ReturnType<typeof liveDeployment> {
  return applyJsonPatch(liveDeployment(), typeof body === 'string' ? JSON.parse(body) : body) as ReturnType<typeof liveDeployment>
}

function captureError(action: () => unknown): ApiError {
  try {
    action()
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected an ApiError')
}

describe('JSON patch: payloads captured from kubectl', () => {
  it('rollout undo replaces the pod template and the annotations wholesale', () => {
    const ops = JSON.parse(ROLLOUT_UNDO_BODY) as Array<{value: unknown}>

    const result = patched(ROLLOUT_UNDO_BODY)

    expect(result.spec!.template).toEqual(ops[0]!.value)
    expect(result.metadata!.annotations).toEqual(ops[1]!.value)
    expect(result.spec!.replicas).toBe(2)
  })

  it('kubectl patch --type=json adds a label', () => {
    expect(patched(PATCH_JSON_BODY).metadata!.labels).toEqual({app: 'web', j: '2'})
  })

  it('the SSA migration patch replaces managedFields and resourceVersion', () => {
    const result = patched(SSA_MIGRATION_BODY)

    expect(result.metadata!.managedFields).toEqual([expect.objectContaining({manager: 'kubectl', operation: 'Apply'})])
    expect(result.metadata!.resourceVersion).toBe('1023')
  })
})

describe('JSON patch operations (RFC 6902)', () => {
  const cases: Array<[string, unknown[], (r: ReturnType<typeof liveDeployment>) => unknown, unknown]> = [
    ['add with - appends to a list', [{op: 'add', path: '/spec/template/spec/containers/0/env/-', value: {name: 'C', value: '3'}}], (r) => r.spec!.template.spec!.containers[0]!.env!.map((e) => e.name), ['A', 'B', 'C']],
    ['add at an index inserts', [{op: 'add', path: '/spec/template/spec/containers/0/env/0', value: {name: 'Z'}}], (r) => r.spec!.template.spec!.containers[0]!.env!.map((e) => e.name), ['Z', 'A', 'B']],
    ['add at the end index appends', [{op: 'add', path: '/spec/template/spec/containers/0/env/2', value: {name: 'Z'}}], (r) => r.spec!.template.spec!.containers[0]!.env!.map((e) => e.name), ['A', 'B', 'Z']],
    ['add replaces an existing member', [{op: 'add', path: '/spec/replicas', value: 5}], (r) => r.spec!.replicas, 5],
    ['remove deletes a member', [{op: 'remove', path: '/spec/strategy/rollingUpdate'}], (r) => r.spec!.strategy, {type: 'RollingUpdate'}],
    ['remove deletes a list element', [{op: 'remove', path: '/spec/template/spec/containers/0/ports/1'}], (r) => r.spec!.template.spec!.containers[0]!.ports, [{containerPort: 80, protocol: 'TCP'}]],
    ['replace sets a value', [{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.29'}], (r) => r.spec!.template.spec!.containers[0]!.image, 'nginx:1.29'],
    ['replace of a member holding null works', [{op: 'add', path: '/spec/paused', value: null}, {op: 'replace', path: '/spec/paused', value: true}], (r) => r.spec!.paused, true],
    ['move relocates a value', [{op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name'}], (r) => r.metadata!.labels, {name: 'web'}],
    ['copy duplicates a value', [{op: 'copy', from: '/spec/template/spec/containers/0/env/0', path: '/spec/template/spec/containers/0/env/-'}], (r) => r.spec!.template.spec!.containers[0]!.env!.map((e) => e.name), ['A', 'B', 'A']],
    ['a passing test lets later operations apply', [{op: 'test', path: '/spec/replicas', value: 2}, {op: 'replace', path: '/spec/replicas', value: 3}], (r) => r.spec!.replicas, 3],
    ['test compares objects deeply, ignoring key order', [{op: 'test', path: '/spec/selector', value: {matchLabels: {app: 'web'}}}], (r) => r.spec!.selector, {matchLabels: {app: 'web'}}],
    ['test with null passes for a missing member', [{op: 'test', path: '/spec/paused', value: null}], (r) => r.spec!.paused, undefined],
    ['~1 and ~0 unescape in pointers', [{op: 'add', path: '/metadata/annotations/example.com~1a~0b', value: 'x'}], (r) => r.metadata!.annotations!['example.com/a~b'], 'x'],
    ['operations see the results of earlier ones', [{op: 'add', path: '/metadata/labels/x', value: '1'}, {op: 'copy', from: '/metadata/labels/x', path: '/metadata/labels/y'}], (r) => r.metadata!.labels, {app: 'web', x: '1', y: '1'}],
  ]

  it.each(cases)('%s', (_, ops, select, expected) => {
    expect(select(patched(ops))).toEqual(expected)
  })

  it('does not modify the document or the patch', () => {
    const live = liveDeployment()
    const ops = [{op: 'add', path: '/metadata/labels/x', value: {nested: true}}, {op: 'add', path: '/metadata/labels/x/more', value: 1}]
    const opsBefore = structuredClone(ops)

    const result = applyJsonPatch(live, ops) as Obj

    expect(live).toEqual(liveDeployment())
    expect(ops).toEqual(opsBefore)
    expect(result).not.toBe(live)
  })
})

describe('JSON patch errors', () => {
  const notApplicable: Array<[string, unknown[], string]> = [
    ['replace of a missing member', [{op: 'replace', path: '/spec/foo', value: 1}], 'replace operation does not apply: doc is missing key: /spec/foo: missing value'],
    ['replace under a missing parent', [{op: 'replace', path: '/spec/nope/foo', value: 1}], 'replace operation does not apply: doc is missing path: /spec/nope/foo: missing value'],
    ['replace past the end of a list', [{op: 'replace', path: '/spec/template/spec/containers/5', value: {}}], 'replace operation does not apply: doc is missing key: /spec/template/spec/containers/5: missing value'],
    ['remove of a missing member', [{op: 'remove', path: '/spec/foo'}], "error in remove for path: '/spec/foo': Unable to remove nonexistent key: foo: missing value"],
    ['remove under a missing parent', [{op: 'remove', path: '/nope/foo'}], 'remove operation does not apply: doc is missing path: "/nope/foo": missing value'],
    ['add under a missing parent', [{op: 'add', path: '/spec/nope/foo', value: 1}], 'add operation does not apply: doc is missing path: "/spec/nope/foo": missing value'],
    ['add past the end of a list', [{op: 'add', path: '/spec/template/spec/containers/3', value: {}}], "error in add for path: '/spec/template/spec/containers/3': Unable to access invalid index: 3: invalid index referenced"],
    ['a failed test', [{op: 'test', path: '/spec/replicas', value: 3}], 'testing value /spec/replicas failed: test failed'],
    ['test with null on a present member', [{op: 'test', path: '/spec/replicas', value: null}], 'testing value /spec/replicas failed: test failed'],
    ['move from a missing member', [{op: 'move', from: '/spec/nope', path: '/spec/x'}], "error in move for path: '/spec/nope': unable to get nonexistent key: nope: missing value"],
    ['copy to a missing parent', [{op: 'copy', from: '/spec/replicas', path: '/nope/x'}], 'copy operation does not apply: doc is missing destination path: /nope/x: missing value'],
    ['an unknown op', [{op: 'merge', path: '/spec'}], 'Unexpected kind: merge'],
    ['an operation without a path', [{op: 'add', value: 1}], 'add operation failed to decode path: operation missing path field: missing value'],
    ['prototype members, which are not keys of the document', [{op: 'replace', path: '/metadata/toString', value: 'x'}], 'replace operation does not apply: doc is missing key: /metadata/toString: missing value'],
    ['the root path', [{op: 'replace', path: '', value: {}}], 'replace operation does not apply: doc is missing path: : missing value'],
  ]

  it.each(notApplicable)('rejects %s with 422 Invalid and evanphx message', (_, ops, message) => {
    const error = captureError(() => applyJsonPatch(liveDeployment(), ops))

    expect(error).toMatchObject({code: 422, reason: 'Invalid', message})
  })

  it('applies nothing when a later operation fails (atomic)', () => {
    const live = liveDeployment()
    const ops = [
      {op: 'replace', path: '/spec/replicas', value: 9},
      {op: 'add', path: '/metadata/labels/x', value: 'y'},
      {op: 'test', path: '/spec/replicas', value: 2},
    ]

    expect(captureError(() => applyJsonPatch(live, ops)).code).toBe(422)
    expect(live).toEqual(liveDeployment())
  })

  it.each([
    ['an object', {op: 'add', path: '/x', value: 1}, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['a string', 'x', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    ['a list of strings', ['x'], 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
  ])('rejects a body that is %s with 400 BadRequest', (_, body, message) => {
    expect(captureError(() => applyJsonPatch(liveDeployment(), body))).toMatchObject({code: 400, reason: 'BadRequest', message})
  })

  it.each([
    ['/__proto__/polluted'],
    ['/metadata/__proto__/polluted'],
    ['/constructor/prototype/polluted'],
    ['/metadata/labels/constructor'],
  ])('rejects the path %s with 400 and pollutes nothing', (path) => {
    const error = captureError(() => applyJsonPatch(liveDeployment(), [{op: 'add', path, value: 'yes'}]))

    expect(error).toMatchObject({code: 400, reason: 'BadRequest'})
    expect(({} as Obj).polluted).toBeUndefined()
  })

  it('rejects __proto__ keys inside values with 400', () => {
    const ops = JSON.parse('[{"op":"add","path":"/metadata/labels","value":{"__proto__":{"polluted":"yes"}}}]')

    expect(captureError(() => applyJsonPatch(liveDeployment(), ops))).toMatchObject({code: 400})
  })

  it('rejects more than 10000 operations with 413', () => {
    const ops = Array.from({length: 10_001}, () => ({op: 'test', path: '/spec/replicas', value: 2}))

    expect(captureError(() => applyJsonPatch(liveDeployment(), ops))).toMatchObject({code: 413, reason: 'RequestEntityTooLarge'})
  })
})
