import type {ReplicaSet} from 'kubernetes-types/apps/v1.js'
import {describe, expect, it} from 'vitest'
import {computeStatus, sameStatus} from '../../../src/cluster/controllers/replicaset-status.js'
import {podObject} from './replicaset-fixtures.js'

const NOW = new Date('2026-01-01T12:00:00Z')
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000)

function rs(minReadySeconds = 0, status: ReplicaSet['status'] = {replicas: 0}): ReplicaSet {
  return {
    metadata: {name: 'web', namespace: 'default', generation: 4},
    spec: {replicas: 3, minReadySeconds, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web', tier: 'fe'}}}},
    status,
  }
}

describe('computeStatus', () => {
  it('counts replicas, fully labeled, ready and available pods and records the generation', () => {
    const pods = [
      podObject('a', {readySince: ago(100)}, {app: 'web', tier: 'fe'}),
      podObject('b', {readySince: ago(100)}, {app: 'web'}),
      podObject('c', {}, {app: 'web', tier: 'fe'}),
    ]
    expect(computeStatus(rs(), pods, undefined, NOW)).toEqual({
      status: {replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 4},
    })
  })

  it('leaves zero counts out but always reports replicas', () => {
    expect(computeStatus(rs(), [], undefined, NOW).status).toEqual({replicas: 0, observedGeneration: 4})
  })

  it('counts a ready pod as available only after more than minReadySeconds and says when to look again', () => {
    const pods = [podObject('a', {readySince: ago(4)}, {app: 'web'}), podObject('b', {readySince: ago(8)}, {app: 'web'}), podObject('c', {readySince: ago(30)}, {app: 'web'})]
    const {status, recheckAfterMs} = computeStatus(rs(10), pods, undefined, NOW)
    expect(status.readyReplicas).toBe(3)
    expect(status.availableReplicas).toBe(1)
    expect(recheckAfterMs).toBe(2_001)
  })

  it('does not count a pod ready exactly minReadySeconds ago as available', () => {
    const {status} = computeStatus(rs(10), [podObject('a', {readySince: ago(10)}, {app: 'web'})], undefined, NOW)
    expect(status.availableReplicas).toBeUndefined()
  })

  it('sets ReplicaFailure on a failed sync and keeps it (same transition time) until a clean sync removes it', () => {
    const failed = computeStatus(rs(), [], {reason: 'FailedCreate', message: 'pods "x" is forbidden: quota'}, NOW).status
    expect(failed.conditions).toEqual([{type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'FailedCreate', message: 'pods "x" is forbidden: quota'}])
    const later = new Date(NOW.getTime() + 60_000)
    expect(computeStatus(rs(0, failed), [], {reason: 'FailedCreate', message: 'other'}, later).status.conditions).toEqual(failed.conditions)
    expect(computeStatus(rs(0, failed), [], undefined, later).status.conditions).toBeUndefined()
  })
})

describe('sameStatus', () => {
  it('treats missing counts as zero and notices any changed field', () => {
    expect(sameStatus({replicas: 2, observedGeneration: 1}, {replicas: 2, readyReplicas: 0, observedGeneration: 1})).toBe(true)
    expect(sameStatus({replicas: 2, observedGeneration: 1}, {replicas: 2, observedGeneration: 2})).toBe(false)
    expect(sameStatus(undefined, {replicas: 0})).toBe(true)
    expect(sameStatus({replicas: 1}, {replicas: 1, availableReplicas: 1})).toBe(false)
  })
})
