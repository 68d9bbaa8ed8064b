import {describe, expect, it} from 'vitest'
import {RESOURCES} from '../../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {strategyFor, UnknownStrategyError} from '../../../../src/cluster/apiserver/strategies/index.js'

describe('strategyFor', () => {
  it.each(RESOURCES.map((r) => [r.kind, r] as const))('has a strategy for %s', (_kind, r) => {
    const s = strategyFor(r)
    expect(typeof s.validate).toBe('function')
    expect(typeof s.prepareForCreate).toBe('function')
  })

  it('gives different kinds different strategies', () => {
    const pod = RESOURCES.find((r) => r.kind === 'Pod')!
    const svc = RESOURCES.find((r) => r.kind === 'Service')!
    expect(strategyFor(pod)).not.toBe(strategyFor(svc))
  })

  it('throws for a kind without a strategy', () => {
    expect(() => strategyFor({group: 'batch', kind: 'Job'})).toThrow(UnknownStrategyError)
  })
})

// The registry detects no-op writes by comparing stored content, so defaulting a stored object again must change nothing.
describe('defaults', () => {
  const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx', ports: [{containerPort: 80}], resources: {limits: {cpu: '1'}}}]}}
  const samples: Array<[string, Record<string, unknown>]> = [
    ['Namespace', {metadata: {name: 'team'}}],
    ['Node', {metadata: {name: 'n1'}, status: {capacity: {cpu: '2'}}}],
    ['Pod', {metadata: {name: 'p', namespace: 'default'}, spec: template.spec}],
    ['Service', {metadata: {name: 's', namespace: 'default'}, spec: {type: 'NodePort', ports: [{port: 80}], clusterIP: '10.96.0.1'}}],
    ['Endpoints', {metadata: {name: 's', namespace: 'default'}, subsets: [{addresses: [{ip: '10.0.0.1'}], ports: [{port: 80}]}]}],
    ['Secret', {metadata: {name: 's', namespace: 'default'}, stringData: {a: 'b'}}],
    ['Deployment', {metadata: {name: 'd', namespace: 'default'}, spec: {selector: {matchLabels: {app: 'web'}}, template}}],
    ['ReplicaSet', {metadata: {name: 'r', namespace: 'default'}, spec: {selector: {matchLabels: {app: 'web'}}, template}}],
  ]
  it.each(samples)('are idempotent for %s', (kind, body) => {
    const strategy = strategyFor(RESOURCES.find((r) => r.kind === kind)!)
    const once = structuredClone(body) as KubeObject
    strategy.applyDefaults(once)
    const twice = structuredClone(once)
    strategy.applyDefaults(twice)
    expect(twice).toEqual(once)
    expect(strategy.validate(twice)).toEqual([])
  })
})
