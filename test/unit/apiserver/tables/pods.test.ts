import type {Pod} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {podPrinter} from '../../../../src/cluster/apiserver/tables/pods.js'

const NOW = new Date('2026-11-22T08:10:00Z')
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString()

type PodStatus = NonNullable<Pod['status']>
type PodSpec = NonNullable<Pod['spec']>

function pod(status: PodStatus, spec: Partial<PodSpec> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: {name: 'web', namespace: 'default', creationTimestamp: ago(5000), ...meta},
    spec: {containers: [{name: 'app', image: 'nginx'}], ...spec},
    status,
  }
}

const running = (name = 'app', ready = true) => ({name, image: 'nginx', imageID: '', ready, restartCount: 0, state: {running: {startedAt: ago(4000)}}})
const waiting = (reason: string, name = 'app') => ({name, image: 'nginx', imageID: '', ready: false, restartCount: 0, state: {waiting: {reason}}})
const terminated = (t: {exitCode: number; reason?: string; signal?: number}, name = 'app') => ({
  name, image: 'nginx', imageID: '', ready: false, restartCount: 0, state: {terminated: t},
})

const statusCell = (p: KubeObject): unknown => podPrinter.cells(p, NOW)[2]

describe('pod table cells', () => {
  it('prints a ready running pod like the wire capture', () => {
    const p = pod({phase: 'Running', podIP: '10.244.0.7', podIPs: [{ip: '10.244.0.7'}], containerStatuses: [running()]}, {nodeName: 'kcluster-node'})
    expect(podPrinter.cells(p, NOW)).toEqual(['web', '1/1', 'Running', '0', '5s', '10.244.0.7', 'kcluster-node', '<none>', '<none>'])
  })

  it('shows a pending pod without statuses as Pending with nothing ready', () => {
    const p = pod({phase: 'Pending'}, {containers: [{name: 'a'}, {name: 'b'}]})
    expect(podPrinter.cells(p, NOW).slice(1, 3)).toEqual(['0/2', 'Pending'])
  })

  it('prefers status.reason over the phase', () => {
    expect(statusCell(pod({phase: 'Failed', reason: 'Evicted'}))).toBe('Evicted')
  })

  it('shows SchedulingGated from the PodScheduled condition', () => {
    expect(statusCell(pod({phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]}))).toBe('SchedulingGated')
  })

  it.each(['ContainerCreating', 'CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff'])('shows the waiting reason %s', (reason) => {
    expect(statusCell(pod({phase: 'Pending', containerStatuses: [waiting(reason)]}))).toBe(reason)
  })

  it.each([
    [{exitCode: 0, reason: 'Completed'}, 'Completed'],
    [{exitCode: 1, reason: 'Error'}, 'Error'],
    [{exitCode: 137, reason: 'OOMKilled'}, 'OOMKilled'],
    [{exitCode: 2}, 'ExitCode:2'],
    [{exitCode: 0, signal: 9}, 'Signal:9'],
  ])('shows terminated state %j as %s', (t, text) => {
    expect(statusCell(pod({phase: 'Running', containerStatuses: [terminated(t)]}))).toBe(text)
  })

  it('lets the first container win when several report a reason', () => {
    const p = pod({phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff', 'a'), waiting('ContainerCreating', 'b')]})
    expect(statusCell(p)).toBe('ImagePullBackOff')
  })

  it('turns Completed back into Running while another container runs and the pod is Ready', () => {
    const statuses = [terminated({exitCode: 0, reason: 'Completed'}, 'job'), running('server')]
    expect(statusCell(pod({phase: 'Running', containerStatuses: statuses, conditions: [{type: 'Ready', status: 'True'}]}))).toBe('Running')
    expect(statusCell(pod({phase: 'Running', containerStatuses: statuses}))).toBe('NotReady')
  })

  describe('init containers', () => {
    const spec = {initContainers: [{name: 'init-a'}, {name: 'init-b'}]}

    it('shows Init:0/2 while the first init container runs', () => {
      expect(statusCell(pod({phase: 'Pending', initContainerStatuses: [running('init-a', false), waiting('PodInitializing', 'init-b')]}, spec))).toBe('Init:0/2')
    })

    it('shows Init:1/2 once the first init container exited 0', () => {
      const statuses = [terminated({exitCode: 0, reason: 'Completed'}, 'init-a'), running('init-b', false)]
      expect(statusCell(pod({phase: 'Pending', initContainerStatuses: statuses}, spec))).toBe('Init:1/2')
    })

    it('shows Init:<waiting reason> and Init:<terminated reason>', () => {
      expect(statusCell(pod({phase: 'Pending', initContainerStatuses: [waiting('CrashLoopBackOff', 'init-a')]}, spec))).toBe('Init:CrashLoopBackOff')
      expect(statusCell(pod({phase: 'Pending', initContainerStatuses: [terminated({exitCode: 1, reason: 'Error'}, 'init-a')]}, spec))).toBe('Init:Error')
      expect(statusCell(pod({phase: 'Pending', initContainerStatuses: [terminated({exitCode: 3}, 'init-a')]}, spec))).toBe('Init:ExitCode:3')
      expect(statusCell(pod({phase: 'Pending', initContainerStatuses: [terminated({exitCode: 143, signal: 15}, 'init-a')]}, spec))).toBe('Init:Signal:15')
    })

    it('counts a started sidecar in Ready and in the total, and its restarts', () => {
      const p = pod(
        {
          phase: 'Running',
          conditions: [{type: 'Initialized', status: 'True'}],
          initContainerStatuses: [{...running('proxy'), started: true, restartCount: 2}],
          containerStatuses: [running('app')],
        },
        {initContainers: [{name: 'proxy', restartPolicy: 'Always'}]},
      )
      expect(podPrinter.cells(p, NOW).slice(1, 4)).toEqual(['2/2', 'Running', '2'])
    })
  })

  describe('deletion', () => {
    it('shows Terminating for a running pod with a deletionTimestamp', () => {
      expect(statusCell(pod({phase: 'Running', containerStatuses: [running()]}, {}, {deletionTimestamp: ago(1000)}))).toBe('Terminating')
    })

    it('keeps the terminal status of a finished pod being deleted', () => {
      const p = pod({phase: 'Succeeded', containerStatuses: [terminated({exitCode: 0, reason: 'Completed'})]}, {}, {deletionTimestamp: ago(1000)})
      expect(statusCell(p)).toBe('Completed')
    })

    it('shows Unknown for a pod deleted on a lost node', () => {
      expect(statusCell(pod({phase: 'Running', reason: 'NodeLost'}, {}, {deletionTimestamp: ago(1000)}))).toBe('Unknown')
    })
  })

  describe('restarts', () => {
    it('appends how long ago the last restart finished', () => {
      const status = {...running(), restartCount: 3, lastState: {terminated: {exitCode: 1, finishedAt: ago(5 * 60_000)}}}
      expect(podPrinter.cells(pod({phase: 'Running', containerStatuses: [status]}), NOW)[3]).toBe('3 (5m ago)')
    })

    it('prints the bare count without a last termination time', () => {
      expect(podPrinter.cells(pod({phase: 'Running', containerStatuses: [{...running(), restartCount: 2}]}), NOW)[3]).toBe('2')
    })

    it('sums restarts over containers and uses the latest finish time', () => {
      const a = {...running('a'), restartCount: 1, lastState: {terminated: {exitCode: 1, finishedAt: ago(3 * 3600_000)}}}
      const b = {...running('b'), restartCount: 4, lastState: {terminated: {exitCode: 1, finishedAt: ago(90_000)}}}
      expect(podPrinter.cells(pod({phase: 'Running', containerStatuses: [a, b]}, {containers: [{name: 'a'}, {name: 'b'}]}), NOW)[3]).toBe('5 (90s ago)')
    })
  })

  it('fills the wide cells: IP, node, nominated node, readiness gates', () => {
    const p = pod(
      {phase: 'Pending', nominatedNodeName: 'n2', conditions: [{type: 'example.com/lb', status: 'True'}, {type: 'example.com/dns', status: 'False'}]},
      {readinessGates: [{conditionType: 'example.com/lb'}, {conditionType: 'example.com/dns'}]},
    )
    expect(podPrinter.cells(p, NOW).slice(5)).toEqual(['<none>', '<none>', 'n2', '1/2'])
  })

  it('marks finished pods with a Completed row condition', () => {
    expect(podPrinter.conditions(pod({phase: 'Succeeded'}))).toEqual([{type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'}])
    expect(podPrinter.conditions(pod({phase: 'Failed'}))?.[0].reason).toBe('Failed')
    expect(podPrinter.conditions(pod({phase: 'Running'}))).toBeUndefined()
  })

  it('prints <unknown> for a missing creationTimestamp', () => {
    expect(podPrinter.cells({metadata: {name: 'x'}}, NOW)).toEqual(['x', '0/0', '', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>'])
  })
})
