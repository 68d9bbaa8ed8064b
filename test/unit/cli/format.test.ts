import {describe, expect, it} from 'vitest'
import {describeFailure} from '../../../src/cli/base-command.js'
import {formatApplied} from '../../../src/cli/format-apply.js'
import {formatStatus, formatUptime, statusExitCode} from '../../../src/cli/format-status.js'
import {ClusterError} from '../../../src/cluster/lifecycle/cluster-error.js'
import type {ClusterStatus} from '../../../src/cluster/lifecycle/status.js'

const running: ClusterStatus = {
  name: 'kcluster', state: 'Running', stateDir: '/h/kcluster', driver: 'sim', apiURL: 'https://127.0.0.1:4000', pid: 42,
  startedAt: '2026-11-22T08:00:00Z', uptimeSeconds: 3725,
  components: [{name: 'apiserver', healthy: true}, {name: 'scheduler', healthy: false, message: 'stalled'}],
  nodes: [{name: 'kcluster', ready: true}],
  objectCounts: {'deployments.apps': 1, pods: 12},
}

describe('status output', () => {
  it('maps each state to its documented exit code', () => {
    expect(statusExitCode(running)).toBe(0)
    expect(statusExitCode({...running, state: 'Stopped'})).toBe(3)
    expect(statusExitCode({...running, state: 'NotFound'})).toBe(4)
    expect(statusExitCode({...running, state: 'Degraded'})).toBe(5)
  })

  it('shows every figure that --json carries', () => {
    const text = formatStatus(running).replaceAll(/\u001B\[\d+m/g, '')
    for (const expected of ['Running', 'https://127.0.0.1:4000', 'sim', '42', '1h2m', 'apiserver', 'scheduler: stalled', 'kcluster Ready', 'deployments.apps  1', 'pods              12']) {
      expect(text).toContain(expected)
    }
  })

  it('writes uptimes the way kubectl writes ages', () => {
    expect(formatUptime(9)).toBe('9s')
    expect(formatUptime(192)).toBe('3m12s')
    expect(formatUptime(3725)).toBe('1h2m')
    expect(formatUptime(90_000)).toBe('1d1h')
  })
})

describe('failure mapping', () => {
  it('gives cluster errors their exit codes and keeps why and fix', () => {
    expect(describeFailure(new ClusterError('NotRunning', 'x', {fix: 'start it'}))).toMatchObject({exitCode: 3, fix: 'start it'})
    expect(describeFailure(new ClusterError('NotFound', 'x')).exitCode).toBe(4)
    expect(describeFailure(new ClusterError('InvalidInput', 'x')).exitCode).toBe(2)
    expect(describeFailure(new ClusterError('StartFailed', 'x', {why: 'port taken'}))).toMatchObject({exitCode: 1, why: 'port taken'})
  })

  it('treats an unknown error as unexpected and says how to get the stack', () => {
    expect(describeFailure(new TypeError('boom'))).toMatchObject({code: 'Unexpected', message: 'boom', exitCode: 1, fix: expect.stringContaining('KCLUSTER_DEBUG=1')})
  })
})

describe('apply output', () => {
  it('prints kubectl\'s lines, with the dry-run suffix', () => {
    const base = {ref: 'deployment.apps/web', kind: 'Deployment', group: 'apps', name: 'web', namespace: 'default'}
    expect(formatApplied({...base, action: 'created', dryRun: false})).toBe('deployment.apps/web created')
    expect(formatApplied({...base, action: 'configured', dryRun: true})).toBe('deployment.apps/web configured (server dry run)')
  })
})
