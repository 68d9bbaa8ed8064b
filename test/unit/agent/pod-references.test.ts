import {describe, expect, it} from 'vitest'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {podKeysReferencing, podReferences} from '../../../src/cluster/agent/pod-references.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'

const pod = (name: string, spec: Pod['spec']): KubeObject => ({apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'team'}, spec}) as unknown as KubeObject
const app = {name: 'app', image: 'busybox'}

describe('pods referencing a ConfigMap or Secret', () => {
  it('finds configMap, secret and projected volumes, envFrom and env key references, in init containers too', () => {
    expect(podReferences({spec: {containers: [app], volumes: [{name: 'v', configMap: {name: 'conf'}}]}}, 'ConfigMap', 'conf')).toBe(true)
    expect(podReferences({spec: {containers: [app], volumes: [{name: 'v', projected: {sources: [{secret: {name: 'tls'}}]}}]}}, 'Secret', 'tls')).toBe(true)
    expect(podReferences({spec: {containers: [{...app, envFrom: [{configMapRef: {name: 'conf'}}]}]}}, 'ConfigMap', 'conf')).toBe(true)
    expect(podReferences({spec: {containers: [app], initContainers: [{...app, env: [{name: 'P', valueFrom: {secretKeyRef: {name: 'db', key: 'p'}}}]}]}}, 'Secret', 'db')).toBe(true)
  })

  it('does not confuse kinds or names', () => {
    const uses = {spec: {containers: [app], volumes: [{name: 'v', configMap: {name: 'conf'}}, {name: 's', secret: {secretName: 'other'}}]}}
    expect(podReferences(uses, 'Secret', 'conf')).toBe(false)
    expect(podReferences(uses, 'ConfigMap', 'other')).toBe(false)
    expect(podReferences(uses, 'ConfigMap', 'conf2')).toBe(false)
    expect(podReferences({}, 'ConfigMap', 'conf')).toBe(false)
  })

  it('maps a changed ConfigMap to the keys of the pods in its namespace that use it', () => {
    const pods = [pod('uses', {containers: [app], volumes: [{name: 'v', configMap: {name: 'conf'}}]}), pod('ignores', {containers: [app]})]
    const asked: string[] = []
    const source = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'conf', namespace: 'team'}} as KubeObject
    expect(podKeysReferencing(source, 'ConfigMap', (ns) => (asked.push(ns), pods))).toEqual([{namespace: 'team', name: 'uses'}])
    expect(asked).toEqual(['team'])
  })
})
