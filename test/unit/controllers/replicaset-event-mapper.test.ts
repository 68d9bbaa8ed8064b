import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {ReplicaSetEventMapper} from '../../../src/cluster/controllers/replicaset-controller.js'

function rs(name: string, app: string, namespace = 'default'): KubeObject {
  return {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name, namespace, uid: `uid-${name}`}, spec: {selector: {matchLabels: {app}}}}
}

function pod(name: string, labels: Record<string, string>, controller?: string, namespace = 'default'): KubeObject {
  const ownerReferences = controller ? [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: controller, uid: `uid-${controller}`, controller: true}] : undefined
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace, labels, ...(ownerReferences ? {ownerReferences} : {})}}
}

const names = (keys: Array<{name: string}>) => keys.map((k) => k.name).sort()

describe('ReplicaSetEventMapper', () => {
  it('maps a ReplicaSet event to its own key', () => {
    const m = new ReplicaSetEventMapper()
    expect(m.keysForReplicaSet(rs('web', 'web'), 'ADDED')).toEqual([{namespace: 'default', name: 'web'}])
  })

  it('maps a controlled pod to its controller only, even when other selectors match', () => {
    const m = new ReplicaSetEventMapper()
    m.keysForReplicaSet(rs('web', 'web'), 'ADDED')
    m.keysForReplicaSet(rs('web-too', 'web'), 'ADDED')
    expect(names(m.keysForPod(pod('p', {app: 'web'}, 'web'), 'MODIFIED'))).toEqual(['web'])
  })

  it('maps an orphan pod to every ReplicaSet of its namespace whose selector matches', () => {
    const m = new ReplicaSetEventMapper()
    m.keysForReplicaSet(rs('web', 'web'), 'ADDED')
    m.keysForReplicaSet(rs('web-too', 'web'), 'ADDED')
    m.keysForReplicaSet(rs('db', 'db'), 'ADDED')
    m.keysForReplicaSet(rs('web', 'web', 'other'), 'ADDED')
    expect(names(m.keysForPod(pod('p', {app: 'web'}), 'ADDED'))).toEqual(['web', 'web-too'])
    expect(m.keysForPod(pod('q', {app: 'none'}), 'ADDED')).toEqual([])
  })

  it('forgets a deleted ReplicaSet for orphan matching', () => {
    const m = new ReplicaSetEventMapper()
    m.keysForReplicaSet(rs('web', 'web'), 'ADDED')
    m.keysForReplicaSet(rs('web', 'web'), 'DELETED')
    expect(m.keysForPod(pod('p', {app: 'web'}), 'ADDED')).toEqual([])
  })

  it('wakes the previous controller when a pod is released or changes controller', () => {
    const m = new ReplicaSetEventMapper()
    m.keysForPod(pod('p', {app: 'web'}, 'web'), 'ADDED')
    expect(names(m.keysForPod(pod('p', {app: 'moved'}), 'MODIFIED'))).toEqual(['web'])
    m.keysForPod(pod('q', {app: 'web'}, 'web'), 'ADDED')
    expect(names(m.keysForPod(pod('q', {app: 'web'}, 'other'), 'MODIFIED'))).toEqual(['other', 'web'])
  })

  it('wakes the controller of a deleted pod but no orphan matches', () => {
    const m = new ReplicaSetEventMapper()
    m.keysForReplicaSet(rs('web', 'web'), 'ADDED')
    expect(names(m.keysForPod(pod('p', {app: 'web'}, 'web'), 'DELETED'))).toEqual(['web'])
    expect(m.keysForPod(pod('o', {app: 'web'}), 'DELETED')).toEqual([])
  })
})
