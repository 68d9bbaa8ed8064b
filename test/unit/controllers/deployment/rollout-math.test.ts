import {describe, expect, it} from 'vitest'
import {newReplicaSetReplicas, oldReplicasToRemove, resolveFenceposts, scaledValue} from '../../../../src/cluster/controllers/deployment/rollout-math.js'
import {podTemplateHash} from '../../../../src/cluster/controllers/deployment/pod-template-hash.js'

describe('rollout math', () => {
  it('rounds percentages up for surge and down for unavailability', () => {
    expect(scaledValue('25%', 10, true)).toBe(3)
    expect(scaledValue('25%', 10, false)).toBe(2)
    expect(scaledValue(2, 10, true)).toBe(2)
    expect(scaledValue('3', 10, true)).toBe(3)
    expect(() => scaledValue('x%', 10, true)).toThrow()
  })

  it('defaults to 25%/25% and never lets both be zero', () => {
    expect(resolveFenceposts(undefined, undefined, 4)).toEqual({surge: 1, unavailable: 1})
    expect(resolveFenceposts(0, 0, 3)).toEqual({surge: 0, unavailable: 1})
    expect(resolveFenceposts('25%', '25%', 1)).toEqual({surge: 1, unavailable: 0})
  })

  it('grows the new ReplicaSet only within desired + maxSurge', () => {
    // 3 desired, maxSurge 1: old RS has 3, new has 0 -> new may go to 1.
    expect(newReplicaSetReplicas(3, 1, {replicas: 0, available: 0}, [{replicas: 3, available: 3}, {replicas: 0, available: 0}])).toBe(1)
    // total already at 4 -> no growth until old shrinks.
    expect(newReplicaSetReplicas(3, 1, {replicas: 1, available: 0}, [{replicas: 3, available: 3}, {replicas: 1, available: 0}])).toBe(1)
    expect(newReplicaSetReplicas(3, 1, {replicas: 3, available: 3}, [{replicas: 3, available: 3}])).toBe(3)
  })

  it('never removes old replicas below desired - maxUnavailable available pods', () => {
    // maxUnavailable 0: new pod not yet available -> nothing to remove.
    expect(oldReplicasToRemove(3, 0, {replicas: 1, available: 0}, [{replicas: 3, available: 3}, {replicas: 1, available: 0}])).toBe(0)
    // new pod available -> one old may go.
    expect(oldReplicasToRemove(3, 0, {replicas: 1, available: 1}, [{replicas: 3, available: 3}, {replicas: 1, available: 1}])).toBe(1)
  })

  it('hashes templates stably, ignoring key order, and changes with the collision count', () => {
    const a = podTemplateHash({metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'i:1'}]}})
    const b = podTemplateHash({spec: {containers: [{image: 'i:1', name: 'c'}]}, metadata: {labels: {app: 'web'}}})
    expect(a).toBe(b)
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/)
    expect(podTemplateHash({spec: {containers: [{name: 'c', image: 'i:2'}]}})).not.toBe(a)
    expect(podTemplateHash({metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'i:1'}]}}, 1)).not.toBe(a)
  })
})
