import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {ServicePodIndex} from '../../../src/cluster/controllers/service-pod-index.js'
import {pod, service} from './endpoints-fixtures.js'

const obj = (x: unknown) => x as KubeObject
const svc = (name: string, selector?: Record<string, string>, namespace = 'default') => {
  const s = service()
  return obj({...s, metadata: {...s.metadata, name, namespace}, spec: {...s.spec, selector}})
}

describe('Service/pod index for the endpoint controllers', () => {
  it('wakes a Service on its own events', () => {
    const index = new ServicePodIndex()
    expect(index.serviceKeys(svc('web', {app: 'web'}), undefined, 'ADDED')).toEqual([{namespace: 'default', name: 'web'}])
  })

  it('maps a pod to the Services of its namespace whose selector matches its labels', () => {
    const index = new ServicePodIndex()
    index.serviceKeys(svc('web', {app: 'web'}), undefined, 'ADDED')
    index.serviceKeys(svc('all-web', {app: 'web'}), undefined, 'ADDED')
    index.serviceKeys(svc('db', {app: 'db'}), undefined, 'ADDED')
    index.serviceKeys(svc('other-ns', {app: 'web'}, 'prod'), undefined, 'ADDED')
    index.serviceKeys(svc('no-selector'), undefined, 'ADDED')
    const keys = index.podKeys(obj(pod('a')), undefined, 'ADDED').map((k) => k.name).sort()
    expect(keys).toEqual(['all-web', 'web'])
  })

  it('wakes the Services of both the old and the new labels when a pod is relabelled', () => {
    const index = new ServicePodIndex()
    index.serviceKeys(svc('web', {app: 'web'}), undefined, 'ADDED')
    index.serviceKeys(svc('db', {app: 'db'}), undefined, 'ADDED')
    index.podKeys(obj(pod('a')), undefined, 'ADDED')
    const keys = index.podKeys(obj(pod('a', {labels: {app: 'db'}})), undefined, 'MODIFIED').map((k) => k.name).sort()
    expect(keys).toEqual(['db', 'web'])
  })

  it('wakes no Service for a pod change no endpoint can see, and the Services on readiness changes and deletion', () => {
    const index = new ServicePodIndex()
    index.serviceKeys(svc('web', {app: 'web'}), undefined, 'ADDED')
    index.podKeys(obj(pod('a')), undefined, 'ADDED')
    const annotated = pod('a')
    annotated.metadata!.annotations = {note: 'x'}
    expect(index.podKeys(obj(annotated), undefined, 'MODIFIED')).toEqual([])
    expect(index.podKeys(obj(pod('a', {ready: false})), undefined, 'MODIFIED')).toEqual([{namespace: 'default', name: 'web'}])
    expect(index.podKeys(obj(pod('a', {ready: false})), undefined, 'DELETED')).toEqual([{namespace: 'default', name: 'web'}])
  })

  it('forgets the selector of a deleted Service', () => {
    const index = new ServicePodIndex()
    index.serviceKeys(svc('web', {app: 'web'}), undefined, 'ADDED')
    index.serviceKeys(svc('web', {app: 'web'}), undefined, 'DELETED')
    expect(index.podKeys(obj(pod('a')), undefined, 'ADDED')).toEqual([])
  })
})
