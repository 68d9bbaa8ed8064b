import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {configMapStrategy, secretStrategy} from '../../../../src/cluster/apiserver/strategies/data-strategies.js'
import {clone, messages, object} from './fixtures.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const secret = (body: Record<string, unknown>): KubeObject => {
  const s = object('Secret', 'v1', body)
  secretStrategy.applyDefaults(s)
  return s
}

describe('configmap strategy', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['accepts valid keys', {data: {'app.yaml': 'x', KEY_1: 'y'}, binaryData: {'logo.png': b64('png')}}, []],
    ['refuses a key with a slash', {data: {'a/b': 'x'}}, [
      `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ]],
    ['refuses a key in both data and binaryData', {data: {k: 'x'}, binaryData: {k: b64('y')}}, ['data[k]: Invalid value: "k": duplicate of key present in binaryData']],
    ['refuses more than 1 MiB of data', {data: {a: 'x'.repeat(1024 * 1024), b: 'y'}}, [': Too long: must have at most 1048576 bytes']],
  ])('%s', (_title, body, expected) => {
    expect(messages(configMapStrategy.validate(object('ConfigMap', 'v1', body)))).toEqual(expected)
  })

  it('keeps immutable data immutable', () => {
    const old = object('ConfigMap', 'v1', {data: {a: '1'}, immutable: true})
    const next = clone(old)
    next.data = {a: '2'}
    expect(messages(configMapStrategy.validateUpdate(next, old))).toEqual(['data: Forbidden: field is immutable when `immutable` is set'])
    const unset = clone(old)
    delete unset.immutable
    expect(messages(configMapStrategy.validateUpdate(unset, old))).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set'])
    const mutable = object('ConfigMap', 'v1', {data: {a: '1'}})
    expect(configMapStrategy.validateUpdate({...clone(mutable), data: {a: '2'}}, mutable)).toEqual([])
  })
})

describe('secret strategy', () => {
  it('defaults the type to Opaque and folds stringData into data', () => {
    const s = secret({data: {a: b64('old'), b: b64('keep')}, stringData: {a: 'new'}})
    expect(s.type).toBe('Opaque')
    expect(s.data).toEqual({a: b64('new'), b: b64('keep')})
    expect(s.stringData).toBeUndefined()
  })

  it.each<[string, Record<string, unknown>, string[]]>([
    ['accepts an Opaque secret', {data: {password: b64('x')}}, []],
    ['requires tls.crt and tls.key for TLS secrets', {type: 'kubernetes.io/tls', data: {}}, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    ['requires .dockerconfigjson for registry secrets', {type: 'kubernetes.io/dockerconfigjson'}, ['data[.dockerconfigjson]: Required value']],
    ['requires the account annotation for token secrets', {type: 'kubernetes.io/service-account-token'}, ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
    ['refuses more than 1 MiB of data', {data: {a: b64('x'.repeat(1024 * 1024 + 1))}}, ['data: Too long: must have at most 1048576 bytes']],
  ])('%s', (_title, body, expected) => {
    expect(messages(secretStrategy.validate(secret(body)))).toEqual(expected)
  })

  it('refuses a type change', () => {
    const old = secret({type: 'kubernetes.io/tls', data: {'tls.crt': b64('c'), 'tls.key': b64('k')}})
    const next = clone(old)
    delete next.type
    secretStrategy.applyDefaults(next)
    expect(messages(secretStrategy.validateUpdate(next, old))).toEqual(['type: Invalid value: "Opaque": field is immutable'])
  })
})
