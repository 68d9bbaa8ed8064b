import {describe, expect, it} from 'vitest'
import {deploymentStatus, type OwnedReplicaSet} from '../../../../src/cluster/controllers/deployment/deployment-status.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'

const now = new Date('2026-11-22T10:00:00Z')
const deployment = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>) =>
  ({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default', generation: 3}, spec: {replicas: 3, ...spec}, status}) as KubeObject & Parameters<typeof deploymentStatus>[0]
const rs = (name: string, replicas: number, status: {replicas?: number; readyReplicas?: number; availableReplicas?: number}) =>
  ({metadata: {name, namespace: 'default', uid: name}, spec: {replicas}, status}) as unknown as OwnedReplicaSet

describe('deploymentStatus', () => {
  it('reports a finished rollout as Available and NewReplicaSetAvailable', () => {
    const fresh = rs('web-new', 3, {replicas: 3, readyReplicas: 3, availableReplicas: 3})
    const {status, requeueAfterMs} = deploymentStatus(deployment(), [fresh], fresh, now)
    expect(status).toMatchObject({observedGeneration: 3, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3})
    expect(status.unavailableReplicas).toBeUndefined()
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', 'ReplicaSet "web-new" has successfully progressed.'],
    ])
    expect(requeueAfterMs).toBeUndefined()
  })

  it('counts old and new ReplicaSets during a rollout and keeps progressing', () => {
    const old = rs('web-old', 2, {replicas: 2, readyReplicas: 2, availableReplicas: 2})
    const fresh = rs('web-new', 2, {replicas: 2, readyReplicas: 1, availableReplicas: 1})
    const {status, requeueAfterMs} = deploymentStatus(deployment(), [old, fresh], fresh, now)
    expect(status).toMatchObject({replicas: 4, updatedReplicas: 2, availableReplicas: 3, unavailableReplicas: 1})
    expect(status.conditions?.[1]).toMatchObject({type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-new" is progressing.'})
    expect(requeueAfterMs).toBeGreaterThan(599_000)
  })

  it('marks a rollout without progress past its deadline as ProgressDeadlineExceeded', () => {
    const fresh = rs('web-new', 3, {replicas: 3})
    const start = deploymentStatus(deployment({progressDeadlineSeconds: 10}), [fresh], fresh, now).status
    const later = new Date(now.getTime() + 11_000)
    const {status} = deploymentStatus(deployment({progressDeadlineSeconds: 10}, start), [fresh], fresh, later)
    expect(status.conditions?.[1]).toMatchObject({type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new" has timed out progressing.'})
    expect(status.conditions?.[0]).toMatchObject({type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable'})
  })

  it('reports a paused Deployment as Progressing Unknown and keeps condition times when nothing changes', () => {
    const fresh = rs('web-new', 3, {replicas: 3, readyReplicas: 3, availableReplicas: 3})
    const first = deploymentStatus(deployment({paused: true}), [fresh], fresh, now).status
    expect(first.conditions?.[1]).toMatchObject({status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused'})
    const again = deploymentStatus(deployment({paused: true}, first), [fresh], fresh, new Date(now.getTime() + 60_000)).status
    expect(again).toEqual(first)
  })
})
