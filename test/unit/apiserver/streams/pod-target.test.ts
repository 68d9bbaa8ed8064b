import type {Pod} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {KubeletRefusal, requireRunning, resolveContainer} from '../../../../src/cluster/apiserver/streams/pod-target.js'

const pod = (annotations: Record<string, string> = {}, running: string[] = ['app']): Pod => ({
  metadata: {name: 'web', namespace: 'default', annotations},
  spec: {nodeName: 'n', containers: [{name: 'app'}, {name: 'sidecar'}], initContainers: [{name: 'init'}]},
  status: {containerStatuses: running.map((name) => ({name, image: 'i', imageID: '', ready: true, restartCount: 0, state: {running: {}}}))},
})

describe('stream targets', () => {
  it('takes ?container=, else the default-container annotation, else the first container', () => {
    expect(resolveContainer(pod(), 'sidecar')).toBe('sidecar')
    expect(resolveContainer(pod({'kubectl.kubernetes.io/default-container': 'sidecar'}), null)).toBe('sidecar')
    expect(resolveContainer(pod(), null)).toBe('app')
  })

  it('refuses a container the pod does not have with the API server message', () => {
    expect(() => resolveContainer(pod(), 'nope')).toThrow('container nope is not valid for pod web')
  })

  it('refuses a container that is not running with the kubelet text', () => {
    expect(() => requireRunning(pod(), 'app')).not.toThrow()
    const error = (() => {
      try {
        requireRunning(pod(), 'sidecar')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(KubeletRefusal)
    expect(error).toMatchObject({httpStatus: 500, message: 'container not found ("sidecar")'})
  })
})
