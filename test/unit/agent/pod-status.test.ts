import type {Pod, PodCondition} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {planPodStatus} from '../../../src/cluster/agent/pod-status.js'
import type {RuntimeContainer} from '../../../src/cluster/runtime/runtime.js'

const now = new Date('2026-11-22T10:00:00Z')
const pod = (status?: Pod['status'], restartPolicy = 'Always'): Pod => ({
  metadata: {name: 'web', namespace: 'default', uid: 'u1'},
  spec: {restartPolicy, containers: [{name: 'a', image: 'img:1'}, {name: 'b', image: 'img:2'}]},
  status,
})
const container = (name: string, state: RuntimeContainer['state']): RuntimeContainer => ({
  id: `id-${name}`,
  spec: {namespace: 'default', podName: 'web', podUid: 'u1', containerName: name, image: 'img', restartCount: 0},
  state,
  podIP: '10.244.0.9',
})
const running = {state: 'running' as const, startedAt: new Date('2026-11-22T09:59:58Z')}

describe('planPodStatus', () => {
  it('reports Pending with ContainerCreating while containers are missing', () => {
    const s = planPodStatus({pod: pod(), containers: [], hostIP: '127.0.0.1', runtimeName: 'sim', now})
    expect(s.phase).toBe('Pending')
    expect(s.containerStatuses?.map((c) => c.state)).toEqual([{waiting: {reason: 'ContainerCreating'}}, {waiting: {reason: 'ContainerCreating'}}])
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a b]'})
    expect(s.podIP).toBeUndefined()
    expect(s.startTime).toBe('2026-11-22T10:00:00Z')
  })

  it('reports Running and Ready with pod IP when every container runs', () => {
    const s = planPodStatus({pod: pod(), containers: [container('a', running), container('b', running)], hostIP: '127.0.0.1', runtimeName: 'sim', now})
    expect(s.phase).toBe('Running')
    expect(s.podIP).toBe('10.244.0.9')
    expect(s.podIPs).toEqual([{ip: '10.244.0.9'}])
    expect(s.hostIP).toBe('127.0.0.1')
    expect(s.containerStatuses?.[0]).toMatchObject({name: 'a', ready: true, started: true, containerID: 'sim://id-a', state: {running: {startedAt: '2026-11-22T09:59:58Z'}}})
    expect(s.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ])
  })

  it('keeps transition times and startTime when nothing changed, so a re-plan equals the stored status', () => {
    const containers = [container('a', running), container('b', running)]
    const first = planPodStatus({pod: pod(), containers, hostIP: '127.0.0.1', runtimeName: 'sim', now})
    const later = planPodStatus({pod: pod(first), containers, hostIP: '127.0.0.1', runtimeName: 'sim', now: new Date('2026-11-22T11:00:00Z')})
    expect(later).toEqual(first)
  })

  it('reports Succeeded or Failed when every container has exited and the policy does not restart them', () => {
    const done = (code: number) => ({state: 'exited' as const, finishedAt: now, exitCode: code, reason: code === 0 ? 'Completed' : 'Error'})
    expect(planPodStatus({pod: pod(undefined, 'Never'), containers: [container('a', done(0)), container('b', done(0))], hostIP: 'h', runtimeName: 'sim', now}).phase).toBe('Succeeded')
    expect(planPodStatus({pod: pod(undefined, 'OnFailure'), containers: [container('a', done(0)), container('b', done(1))], hostIP: 'h', runtimeName: 'sim', now}).phase).toBe('Failed')
  })

  describe('readiness gates', () => {
    const gated = (conditions: PodCondition[]): Pod => ({
      ...pod({conditions}),
      spec: {...pod().spec!, readinessGates: [{conditionType: 'example.com/ready'}, {conditionType: 'example.com/warm'}]},
    })
    const both = [container('a', running), container('b', running)]
    const plan = (p: Pod) => planPodStatus({pod: p, containers: both, hostIP: 'h', runtimeName: 'sim', now})
    const gate = (type: string, status: string) => ({type, status})
    const ready = (s: ReturnType<typeof plan>) => s.conditions?.find((c) => c.type === 'Ready')

    it('keeps the pod not Ready while a gate condition does not exist, though its containers are ready', () => {
      const s = plan(gated([gate('example.com/warm', 'True')]))
      expect(s.conditions?.find((c) => c.type === 'ContainersReady')).toMatchObject({status: 'True'})
      expect(ready(s)).toMatchObject({
        status: 'False',
        reason: 'ReadinessGatesNotReady',
        message: 'corresponding condition of pod readiness gate "example.com/ready" does not exist.',
      })
    })

    it('names every gate whose condition is not True', () => {
      const s = plan(gated([gate('example.com/ready', 'False')]))
      expect(ready(s)?.message).toBe(
        'the status of pod readiness gate "example.com/ready" is not "True", but False, corresponding condition of pod readiness gate "example.com/warm" does not exist.',
      )
    })

    it('makes the pod Ready once every gate condition is True', () => {
      const s = plan(gated([gate('example.com/ready', 'True'), gate('example.com/warm', 'True')]))
      expect(ready(s)).toMatchObject({status: 'True'})
      expect(ready(s)?.reason).toBeUndefined()
    })

    it('reports ContainersNotReady rather than the gates while containers are not ready', () => {
      const s = planPodStatus({pod: gated([]), containers: [], hostIP: 'h', runtimeName: 'sim', now})
      expect(ready(s)).toMatchObject({status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a b]'})
    })
  })

  it('keeps conditions of types the kubelet does not own, first and unchanged', () => {
    const foreign = {type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: '2026-11-22T09:00:00Z'}
    const s = planPodStatus({pod: pod({conditions: [{type: 'Ready', status: 'False'}, foreign]}), containers: [container('a', running), container('b', running)], hostIP: 'h', runtimeName: 'sim', now})
    expect(s.conditions?.[0]).toEqual(foreign)
    expect(s.conditions?.map((c) => c.type)).toEqual(['DisruptionTarget', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'])
    expect(s.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True')
  })
})
