import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {limitsOf, runtimeSettings, userOf} from '../../../../src/cluster/agent/container-config/runtime-settings.js'

const pod = (extra: Pod['spec'] = {containers: []}): Pod => ({metadata: {name: 'web', namespace: 'ns', uid: 'u1'}, spec: extra})

describe('runtime settings from a container', () => {
  it.each([
    ['1.5Gi', '500m', 1610612736, 500],
    ['129M', '2', 129_000_000, 2000],
    ['1e3', '0.1', 1000, 100],
    ['1k', '1.0005', 1000, 1001],
    ['100.5', '1u', 101, 1],
  ])('turns memory %s into bytes and cpu %s into millicores, rounding up', (memory, cpu, bytes, millis) => {
    expect(limitsOf({name: 'c', resources: {limits: {memory, cpu}}})).toEqual({memoryLimitBytes: bytes, cpuLimitMillicores: millis})
  })

  it('sets no limit that is not given and ignores requests', () => {
    expect(limitsOf({name: 'c', resources: {requests: {memory: '1Gi', cpu: '1'}}})).toEqual({})
    expect(limitsOf({name: 'c', resources: {limits: {memory: '64Mi'}}})).toEqual({memoryLimitBytes: 64 << 20})
  })

  it('fails with CreateContainerConfigError on a limit that does not parse', () => {
    expect(() => limitsOf({name: 'c', resources: {limits: {memory: 'lots'}}})).toThrow(expect.objectContaining({reason: 'CreateContainerConfigError'}))
  })

  it('takes runAsUser and runAsGroup from the container over the pod', () => {
    const spec = {containers: [], securityContext: {runAsUser: 1000, runAsGroup: 3000}}
    expect(userOf(pod(spec), {name: 'c'})).toEqual({user: '1000:3000'})
    expect(userOf(pod(spec), {name: 'c', securityContext: {runAsUser: 2000}})).toEqual({user: '2000:3000'})
    expect(userOf(pod({containers: []}), {name: 'c', securityContext: {runAsUser: 0}})).toEqual({user: '0'})
    expect(userOf(pod({containers: []}), {name: 'c'})).toEqual({})
  })

  it('refuses runAsUser 0 under runAsNonRoot as the kubelet does', () => {
    const c: Container = {name: 'c', securityContext: {runAsUser: 0, runAsNonRoot: true}}
    expect(() => userOf(pod(), c)).toThrow(`container's runAsUser breaks non-root policy (pod: "web_ns(u1)", container: c)`)
  })

  it('passes working dir and terminal flags through, leaving unset ones out', () => {
    expect(runtimeSettings(pod(), {name: 'c', workingDir: '/srv', tty: true, stdin: true, stdinOnce: true})).toEqual({workingDir: '/srv', tty: true, stdin: true, stdinOnce: true})
    expect(runtimeSettings(pod(), {name: 'c'})).toEqual({})
  })

  it('maps securityContext privileged, readOnlyRootFilesystem and capabilities (CAP_ prefix dropped)', () => {
    const pod = {metadata: {name: 'p'}, spec: {containers: []}} as Pod
    const container = {name: 'c', securityContext: {privileged: true, readOnlyRootFilesystem: true, capabilities: {add: ['NET_ADMIN', 'CAP_SYS_TIME'], drop: ['ALL']}}} as Container
    expect(runtimeSettings(pod, container)).toMatchObject({privileged: true, readOnlyRootFilesystem: true, capabilities: {add: ['NET_ADMIN', 'SYS_TIME'], drop: ['ALL']}})
    expect(runtimeSettings(pod, {name: 'plain'} as Container)).not.toHaveProperty('capabilities')
  })
})
