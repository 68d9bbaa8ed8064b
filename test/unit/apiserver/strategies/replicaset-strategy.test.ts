import {describe, expect, it} from 'vitest'
import {replicaSetStrategy} from '../../../../src/cluster/apiserver/strategies/replicaset-strategy.js'
import {clone, fakeContext, messages, object} from './fixtures.js'

const spec = () => ({selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1'}]}}})

function replicaSet(s: Record<string, unknown> = spec()) {
  const rs = object('ReplicaSet', 'apps/v1', {spec: s})
  replicaSetStrategy.applyDefaults(rs)
  return rs
}

describe('replicaset strategy', () => {
  it('defaults replicas to 1 and the template pod spec', () => {
    const rs = replicaSet()
    expect(rs.spec).toMatchObject({replicas: 1, template: {spec: {restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler'}}})
    expect((rs.spec as {template: {spec: Record<string, unknown>}}).template.spec.enableServiceLinks).toBeUndefined()
  })

  it('starts with status replicas 0', async () => {
    const rs = replicaSet()
    rs.status = {replicas: 4}
    await replicaSetStrategy.prepareForCreate(rs, fakeContext())
    expect(rs.status).toEqual({replicas: 0})
  })

  it('keeps spec but not labels out of a status update', () => {
    const old = replicaSet()
    const next = clone(old)
    ;(next.spec as {replicas: number}).replicas = 9
    next.metadata.labels = {x: 'y'}
    next.status = {replicas: 1}
    replicaSetStrategy.prepareForStatusUpdate(next, old)
    expect(next.spec).toEqual(old.spec)
    expect(next.metadata.labels).toEqual({x: 'y'})
  })

  it('refuses a template that the selector does not select', () => {
    const rs = replicaSet({...spec(), selector: {matchLabels: {app: 'db'}}})
    expect(messages(replicaSetStrategy.validate(rs))).toEqual(['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'])
  })

  it('refuses activeDeadlineSeconds in the template', () => {
    const s = spec()
    ;(s.template.spec as Record<string, unknown>).activeDeadlineSeconds = 10
    expect(messages(replicaSetStrategy.validate(replicaSet(s)))).toEqual(['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'])
  })

  it('refuses a selector change on update', () => {
    const old = replicaSet()
    const next = clone(old)
    ;(next.spec as {selector: unknown}).selector = {matchLabels: {}, matchExpressions: [{key: 'app', operator: 'Exists'}]}
    expect(messages(replicaSetStrategy.validateUpdate(next, old))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{},"matchExpressions":[{"key":"app","operator":"Exists"}]}: field is immutable',
    ])
  })
})
