import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {listKeysFor} from '../../../../src/cluster/apiserver/patch/list-keys.js'
import {serverSideApply} from '../../../../src/cluster/apiserver/patch/server-side-apply.js'
import {childSchema, fieldNames, itemSchema, schemaForKindName, type SchemaNode} from '../../../../src/cluster/apiserver/patch/patch-meta.js'

const p = (path: string): string[] => path.split('.')

describe('server-side apply list keys', () => {
  it.each<[string, string, 'map' | 'set' | 'atomic', string[]]>([
    ['Pod', 'spec.containers', 'map', ['name']],
    ['Pod', 'spec.containers.*.ports', 'map', ['containerPort', 'protocol']],
    ['Pod', 'spec.initContainers.*.env', 'map', ['name']],
    ['Pod', 'spec.containers.*.resources.claims', 'map', ['name']],
    ['Pod', 'spec.topologySpreadConstraints', 'map', ['topologyKey', 'whenUnsatisfiable']],
    ['Pod', 'status.hostIPs', 'atomic', []],
    ['Pod', 'spec.containers.*.args', 'atomic', []],
    ['Pod', 'metadata.finalizers', 'set', []],
    ['Deployment', 'spec.template.spec.containers.*.volumeMounts', 'map', ['mountPath']],
    ['Deployment', 'status.conditions', 'map', ['type']],
    ['StatefulSet', 'spec.template.spec.containers', 'map', ['name']],
    ['Job', 'status.conditions', 'atomic', []],
    ['CronJob', 'spec.jobTemplate.spec.template.spec.containers', 'map', ['name']],
    ['CronJob', 'spec.jobTemplate.metadata.ownerReferences', 'map', ['uid']],
    ['Service', 'spec.ports', 'map', ['port', 'protocol']],
    ['Node', 'spec.podCIDRs', 'set', []],
    ['Node', 'status.addresses', 'atomic', []],
    ['ServiceAccount', 'secrets', 'map', ['name']],
    ['Widget', 'metadata.ownerReferences', 'map', ['uid']],
    ['Widget', 'spec.items', 'atomic', []],
  ])('%s %s is a %s list keyed by %j', (kind, path, type, keys) => {
    const listKeys = listKeysFor(kind)
    expect(listKeys.listType(p(path))).toBe(type)
    expect(listKeys.mapKeys(p(path))).toEqual(keys)
  })

  it('treats fields and list items it has no metadata for as atomic', () => {
    const keys = listKeysFor('Pod')
    expect(keys.listType(p('spec.nosuch'))).toBe('atomic')
    expect(keys.listType(p('spec.containers.*.nosuch.deeper'))).toBe('atomic')
    // `*` only steps into lists; a field literally named `*` in a struct is unknown.
    expect(keys.listType(p('spec.*.ports'))).toBe('atomic')
  })

  it('defaults the protocol key of ports to TCP and nothing else', () => {
    expect(listKeysFor('Deployment').keyDefaults!(p('spec.template.spec.containers.*.ports'))).toEqual({protocol: 'TCP'})
    expect(listKeysFor('Service').keyDefaults!(p('spec.ports'))).toEqual({protocol: 'TCP'})
    expect(listKeysFor('Pod').keyDefaults!(p('spec.containers'))).toEqual({})
    expect(listKeysFor('Pod').keyDefaults!(p('spec.tolerations'))).toEqual({})
  })

  it.each<[string, string, boolean]>([
    ['Deployment', 'spec.selector', true],
    ['Deployment', 'spec.template.spec.containers.*.env.*.valueFrom.configMapKeyRef', true],
    ['Deployment', 'spec.template.spec.nodeSelector', true],
    ['Pod', 'metadata.ownerReferences.*', true],
    ['Pod', 'spec.imagePullSecrets.*', true],
    ['Service', 'spec.selector', true],
    ['Event', 'involvedObject', true],
    ['Pod', 'metadata.labels', false],
    ['Pod', 'spec', false],
    ['Deployment', 'spec.template.spec.containers.*.env.*.valueFrom', false],
  ])('%s %s is owned as a whole: %s', (kind, path, atomic) => {
    expect(listKeysFor(kind).isAtomicObject!(p(path))).toBe(atomic)
  })

  it.each<[string | undefined, Record<string, unknown>]>([
    ['Pod', {metadata: {}, spec: {containers: null}, status: {}}],
    ['Deployment', {metadata: {}, spec: {selector: null, strategy: {}, template: {metadata: {}, spec: {containers: null}}}, status: {}}],
    ['StatefulSet', {metadata: {}, spec: {selector: null, updateStrategy: {}, template: {metadata: {}, spec: {containers: null}}}, status: {}}],
    ['Job', {metadata: {}, spec: {template: {metadata: {}, spec: {containers: null}}}, status: {}}],
    ['CronJob', {metadata: {}, spec: {jobTemplate: {metadata: {}, spec: {template: {metadata: {}, spec: {containers: null}}}}}, status: {}}],
    ['Service', {metadata: {}, spec: {}, status: {loadBalancer: {}}}],
    ['Node', {metadata: {}, spec: {}, status: {daemonEndpoints: {kubeletEndpoint: {}}, nodeInfo: {}}}],
    ['Event', {metadata: {}, involvedObject: {}, source: {}}],
    ['ConfigMap', {metadata: {}}],
    ['Widget', {metadata: {}}],
    [undefined, {metadata: {}}],
  ])('gives a typed empty %s the skeleton Go serializes', (kind, skeleton) => {
    expect(listKeysFor(kind).skeleton!()).toEqual(skeleton)
  })

  it('agrees with the patch metadata on every list it records', () => {
    const mismatches: string[] = []
    let lists = 0
    const walk = (kind: string, node: SchemaNode, path: string[], depth: number) => {
      if (depth > 12) return
      for (const field of fieldNames(node)) {
        const child = childSchema(node, field)
        const at = [...path, field]
        if (child.kind === 'list') {
          lists++
          const keys = listKeysFor(kind)
          if (keys.listType(at) !== (child.listType ?? 'atomic')) mismatches.push(`${kind} ${at.join('.')}: listType`)
          if (child.listType === 'map' && keys.mapKeys(at) !== child.listMapKeys) mismatches.push(`${kind} ${at.join('.')}: keys`)
          walk(kind, itemSchema(child), [...at, '*'], depth + 1)
        } else if (child.kind === 'struct') {
          walk(kind, child, at, depth + 1)
        }
      }
    }
    for (const kind of ['Pod', 'Deployment', 'CronJob', 'Service', 'Node', 'ServiceAccount']) walk(kind, schemaForKindName(kind)!, [], 0)
    expect(mismatches).toEqual([])
    expect(lists).toBeGreaterThan(50)
  })

  it('lets server-side apply own an atomic selector map whole', () => {
    const service = (selector: Record<string, string>): KubeObject =>
      ({apiVersion: 'v1', kind: 'Service', metadata: {name: 'web', namespace: 'default'}, spec: {selector, ports: [{port: 80}]}}) as KubeObject
    const apply = (live: KubeObject | undefined, applied: KubeObject, manager: string) =>
      serverSideApply({live, applied, manager, force: false, apiVersion: 'v1', now: new Date('2026-11-22T08:00:00Z')})
    const first = apply(undefined, service({app: 'web', tier: 'fe'}), 'kubectl')
    expect(first.metadata.managedFields?.[0]?.fieldsV1).toMatchObject({'f:spec': {'f:selector': {}}})
    // An atomic map is replaced, not merged: the dropped key goes.
    const second = apply(first, service({app: 'web'}), 'kubectl')
    expect((second.spec as {selector: unknown}).selector).toEqual({app: 'web'})
    // Another manager setting any selector key conflicts on the whole map.
    let conflict: unknown
    try {
      apply(second, service({app: 'api'}), 'other')
    } catch (err) {
      conflict = err
    }
    expect(conflict).toBeInstanceOf(ApiError)
    expect((conflict as ApiError).message).toContain('.spec.selector')
  })
})
