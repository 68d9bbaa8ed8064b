import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import {applyMergePatch} from '../../../../src/cluster/apiserver/patch/merge-patch.js'
import {liveConfigMap, liveDeployment} from './live-objects.js'

type Obj = Record<string, unknown>

function captureError(action: () => unknown): ApiError {
  try {
    action()
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected an ApiError')
}

describe('JSON merge patch: payloads captured from kubectl', () => {
  // annotate.reqs, get_w.reqs (label), add_fin.reqs, scale.reqs, patch_status.reqs
  it('kubectl annotate adds an annotation and keeps the others', () => {
    const result = applyMergePatch(liveDeployment(), JSON.parse('{"metadata":{"annotations":{"a":"b"}}}')) as ReturnType<typeof liveDeployment>

    expect(result.metadata!.annotations).toEqual({...liveDeployment().metadata!.annotations, a: 'b'})
  })

  it('kubectl label overwrites one label', () => {
    const result = applyMergePatch(liveDeployment(), JSON.parse('{"metadata":{"labels":{"app":"z","x":"y"}}}')) as ReturnType<typeof liveDeployment>

    expect(result.metadata!.labels).toEqual({app: 'z', x: 'y'})
  })

  it('kubectl label key- sends null, which removes the label', () => {
    const result = applyMergePatch(liveDeployment(), {metadata: {labels: {app: null}}}) as ReturnType<typeof liveDeployment>

    expect(result.metadata!.labels).toEqual({})
  })

  it('a merge patch of finalizers replaces the whole list (lists are atomic)', () => {
    const result = applyMergePatch(liveConfigMap(), JSON.parse('{"metadata":{"finalizers":["example.com/x"]}}')) as ReturnType<typeof liveConfigMap>

    expect(result.metadata!.finalizers).toEqual(['example.com/x'])
  })

  it('kubectl scale sets spec.replicas', () => {
    expect((applyMergePatch(liveDeployment(), {spec: {replicas: 3}}) as ReturnType<typeof liveDeployment>).spec!.replicas).toBe(3)
  })
})

describe('JSON merge patch semantics (RFC 7386)', () => {
  const cases: Array<[string, Obj, Obj, Obj]> = [
    ['merges objects recursively', {a: {b: 1, c: 2}}, {a: {c: 3}}, {a: {b: 1, c: 3}}],
    ['null deletes a member', {a: 1, b: 2}, {a: null}, {b: 2}],
    ['null for a missing member changes nothing', {a: 1}, {z: null}, {a: 1}],
    ['arrays are replaced, never merged', {a: [1, 2, 3]}, {a: [4]}, {a: [4]}],
    ['a scalar replaces an object', {a: {b: 1}}, {a: 'x'}, {a: 'x'}],
    ['an object replaces a scalar, without its nulls', {a: 'x'}, {a: {b: 1, c: null}}, {a: {b: 1}}],
    ['new members lose nested nulls', {}, {a: {b: {c: null, d: 1}}}, {a: {b: {d: 1}}}],
    ['nulls inside objects in new arrays are pruned, null elements stay', {}, {a: [{b: null, c: 1}, null]}, {a: [{c: 1}, null]}],
    ['an empty patch is a no-op', {a: {b: 1}}, {}, {a: {b: 1}}],
    ['an empty object merges into an existing object unchanged', {a: {b: 1}}, {a: {}}, {a: {b: 1}}],
    ['keys named like Object.prototype members are plain keys', {metadata: {}}, {metadata: {annotations: {constructor: 'x', toString: 'y'}}}, {metadata: {annotations: {constructor: 'x', toString: 'y'}}}],
  ]

  it.each(cases)('%s', (_, doc, patch, expected) => {
    expect(applyMergePatch(doc, patch)).toEqual(expected)
  })

  it('does not modify the document or the patch', () => {
    const doc = {a: {b: 1}, list: [1]}
    const patch = {a: {c: {d: 1}}, list: [2]}

    const result = applyMergePatch(doc, patch) as {a: {c: {d: number}}}
    result.a.c.d = 99

    expect(doc).toEqual({a: {b: 1}, list: [1]})
    expect(patch).toEqual({a: {c: {d: 1}}, list: [2]})
  })

  it.each([['an array', [1]], ['a string', 'x'], ['a number', 1], ['null', null]])('rejects %s as the patch with 400 Invalid JSON Patch', (_, patch) => {
    expect(captureError(() => applyMergePatch({a: 1}, patch))).toMatchObject({code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch'})
  })

  it('rejects __proto__ keys with 400 and pollutes nothing', () => {
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}')

    expect(captureError(() => applyMergePatch({metadata: {labels: {}}}, patch))).toMatchObject({code: 400})
    expect(({} as Obj).polluted).toBeUndefined()
  })

  it('rejects patches nested deeper than any object with 400', () => {
    let deep: Obj = {}
    for (let i = 0; i < 1500; i++) deep = {d: deep}

    expect(captureError(() => applyMergePatch({}, deep))).toMatchObject({code: 400})
  })
})
