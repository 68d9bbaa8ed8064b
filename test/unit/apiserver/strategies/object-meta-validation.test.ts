import {describe, expect, it} from 'vitest'
import type {ObjectMeta} from '../../../../src/cluster/api/types.js'
import {nameIsDNSLabel, nameIsDNSSubdomain} from '../../../../src/cluster/apiserver/strategies/name-rules.js'
import {validateObjectMeta, validateObjectMetaUpdate} from '../../../../src/cluster/apiserver/strategies/object-meta-validation.js'
import {messages} from './fixtures.js'

const NAMESPACED = {namespaced: true, name: nameIsDNSSubdomain}
const CLUSTER = {namespaced: false, name: nameIsDNSLabel}
const base: ObjectMeta = {name: 'web', namespace: 'default'}
const owner = {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1'}

describe('object metadata validation', () => {
  it.each<[string, ObjectMeta, typeof NAMESPACED, string[]]>([
    ['accepts a plain namespaced object', base, NAMESPACED, []],
    ['requires a name', {namespace: 'default'}, NAMESPACED, ['metadata.name: Required value: name or generateName is required']],
    ['refuses an uppercase name', {...base, name: 'Web'}, NAMESPACED, [
      `metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]],
    ['validates generateName as a prefix', {...base, generateName: 'Web-'}, NAMESPACED, [
      `metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]],
    ['requires a namespace for namespaced kinds', {name: 'web'}, NAMESPACED, ['metadata.namespace: Required value']],
    ['forbids a namespace on cluster kinds', {name: 'web', namespace: 'default'}, CLUSTER, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['refuses an invalid label value', {...base, labels: {app: 'bad value!'}}, NAMESPACED, [
      `metadata.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]],
    ['refuses a label key with two slashes', {...base, labels: {'a/b/c': 'x'}}, NAMESPACED, [
      `metadata.labels: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]],
    ['refuses a label value longer than 63', {...base, labels: {app: 'a'.repeat(64)}}, NAMESPACED, [
      `metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
    ]],
    ['accepts upper-case annotation keys', {...base, annotations: {'Example.COM/Key': 'v'}}, NAMESPACED, []],
    ['refuses annotations over 256 KiB in total', {...base, annotations: {big: 'x'.repeat(256 * 1024)}}, NAMESPACED, [
      'metadata.annotations: Too long: must have at most 262144 bytes',
    ]],
    ['requires ownerReference fields', {...base, ownerReferences: [{apiVersion: 'apps/', kind: '', name: '', uid: ''}]}, NAMESPACED, [
      'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]],
    ['accepts one controller reference', {...base, ownerReferences: [{...owner, controller: true}]}, NAMESPACED, []],
    ['refuses two controller references', {...base, ownerReferences: [{...owner, controller: true}, {...owner, name: 'b', uid: 'u2', controller: true}]}, NAMESPACED, [
      `metadata.ownerReferences: Invalid value: ${JSON.stringify([{...owner, controller: true}, {...owner, name: 'b', uid: 'u2', controller: true}])}: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/web-1 and ReplicaSet/b`,
    ]],
    ['accepts domain-qualified and standard finalizers', {...base, finalizers: ['example.com/cleanup', 'kubernetes']}, NAMESPACED, []],
    ['refuses an unqualified non-standard finalizer', {...base, finalizers: ['cleanup']}, NAMESPACED, [
      'metadata.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]],
    ['refuses orphan together with foregroundDeletion', {...base, finalizers: ['orphan', 'foregroundDeletion']}, NAMESPACED, [
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
    ]],
  ])('%s', (_title, meta, rules, expected) => {
    expect(messages(validateObjectMeta(meta, rules))).toEqual(expected)
  })

  it('refuses a decremented generation on update', () => {
    expect(messages(validateObjectMetaUpdate({...base, generation: 1}, {...base, generation: 2}))).toEqual(['metadata.generation: Invalid value: 1: must not be decremented'])
    expect(validateObjectMetaUpdate({...base, generation: 3}, {...base, generation: 2})).toEqual([])
  })
})
