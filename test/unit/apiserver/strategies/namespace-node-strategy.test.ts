import {describe, expect, it} from 'vitest'
import {namespaceStrategy} from '../../../../src/cluster/apiserver/strategies/namespace-strategy.js'
import {nodeStrategy} from '../../../../src/cluster/apiserver/strategies/node-strategy.js'
import {clone, fakeContext, messages, object} from './fixtures.js'

describe('namespace strategy', () => {
  it('forces the metadata.name label, adds the kubernetes finalizer and starts Active', async () => {
    const ns = object('Namespace', 'v1', {metadata: {name: 'team-a', labels: {'kubernetes.io/metadata.name': 'spoofed', env: 'dev'}}, status: {phase: 'Terminating'}}, null)
    namespaceStrategy.applyDefaults(ns)
    await namespaceStrategy.prepareForCreate(ns, fakeContext())
    expect(ns.metadata.labels).toEqual({'kubernetes.io/metadata.name': 'team-a', env: 'dev'})
    expect(ns.spec).toEqual({finalizers: ['kubernetes']})
    expect(ns.status).toEqual({phase: 'Active'})
    expect(namespaceStrategy.validate(ns)).toEqual([])
  })

  it('keeps client finalizers and adds kubernetes once', async () => {
    const ns = object('Namespace', 'v1', {metadata: {name: 'a'}, spec: {finalizers: ['example.com/x', 'kubernetes']}}, null)
    await namespaceStrategy.prepareForCreate(ns, fakeContext())
    expect(ns.spec).toEqual({finalizers: ['example.com/x', 'kubernetes']})
  })

  it('keeps the old status on update and re-forces the label', async () => {
    const old = object('Namespace', 'v1', {metadata: {name: 'a'}, status: {phase: 'Terminating'}}, null)
    const next = clone(old)
    next.metadata.labels = {}
    next.status = {phase: 'Active'}
    namespaceStrategy.applyDefaults(next)
    await namespaceStrategy.prepareForUpdate(next, old, fakeContext())
    expect(next.status).toEqual({phase: 'Terminating'})
    expect(next.metadata.labels).toEqual({'kubernetes.io/metadata.name': 'a'})
  })

  it.each<[string, Record<string, unknown>, string[]]>([
    ['requires a DNS label name', {metadata: {name: 'team.a'}}, ['metadata.name: Invalid value: "team.a": must not contain dots']],
    ['forbids metadata.namespace', {metadata: {name: 'a', namespace: 'default'}}, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['refuses an unqualified spec finalizer', {metadata: {name: 'a'}, spec: {finalizers: ['cleanup']}}, [
      'spec.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]],
  ])('%s', (_title, body, expected) => {
    const ns = object('Namespace', 'v1', body, null)
    namespaceStrategy.applyDefaults(ns)
    expect(messages(namespaceStrategy.validate(ns))).toEqual(expected)
  })
})

describe('node strategy', () => {
  const node = () => object('Node', 'v1', {metadata: {name: 'kcluster-node'}, spec: {}, status: {capacity: {cpu: '4', memory: '8Gi'}}}, null)

  it('keeps the status a node registers with and defaults allocatable to capacity', async () => {
    const n = node()
    nodeStrategy.applyDefaults(n)
    await nodeStrategy.prepareForCreate(n, fakeContext())
    expect(n.status).toEqual({capacity: {cpu: '4', memory: '8Gi'}, allocatable: {cpu: '4', memory: '8Gi'}})
  })

  it('keeps the old status on a main-resource update and the old spec on a status update', async () => {
    const old = node()
    const next = clone(old)
    next.status = {capacity: {cpu: '1'}}
    next.spec = {unschedulable: true}
    await nodeStrategy.prepareForUpdate(next, old, fakeContext())
    expect(next.status).toEqual(old.status)
    expect(next.spec).toEqual({unschedulable: true})
    const statusWrite = clone(old)
    statusWrite.spec = {unschedulable: true}
    statusWrite.status = {capacity: {cpu: '1'}}
    nodeStrategy.prepareForStatusUpdate(statusWrite, old)
    expect(statusWrite.spec).toEqual({})
    expect(statusWrite.status).toEqual({capacity: {cpu: '1'}})
  })

  it('validates taints', () => {
    const n = node()
    n.spec = {taints: [{key: 'dedicated', value: 'gpu', effect: 'Sometimes'}, {key: 'a', effect: 'NoSchedule'}, {key: 'a', effect: 'NoSchedule'}]}
    expect(messages(nodeStrategy.validate(n))).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'spec.taints[2]: Duplicate value: {"key":"a","effect":"NoSchedule"}: taints must be unique by key and effect pair',
    ])
  })
})
