import type {Container} from 'kubernetes-types/core/v1.js'
import {afterEach, describe, expect, it} from 'vitest'
import {ProbeManager, type ProbeTarget} from '../../../../src/cluster/agent/probes/probe-manager.js'
import type {ProbeKind} from '../../../../src/cluster/agent/probes/probe-spec.js'
import {ManualClock} from '../../../../src/cluster/manual-clock.js'

/** Lets promise chains and woken sleepers run (bounded). */
async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r))
}

interface Harness {
  clock: ManualClock
  manager: ProbeManager
  /** Exit code per command's first word; a command absent here exits 0. */
  exits: Map<string, number>
  calls: string[][]
  changes: string[]
  events: Array<{kind: ProbeKind; message: string; container: string}>
}

const managers: ProbeManager[] = []
afterEach(() => {
  for (const m of managers.splice(0)) m.stop()
})

function harness(): Harness {
  const clock = new ManualClock()
  const exits = new Map<string, number>()
  const calls: string[][] = []
  const changes: string[] = []
  const events: Harness['events'] = []
  const manager = new ProbeManager({
    clock,
    exec: async (_target, command) => {
      calls.push(command)
      const exitCode = exits.get(command[0] ?? '') ?? 0
      return {exitCode, output: exitCode === 0 ? '' : `${command[0]} said no\n`}
    },
    onChange: (podUid) => changes.push(podUid),
    events: {unhealthy: (target, kind, message) => events.push({kind, message, container: target.container.name})},
  })
  managers.push(manager)
  return {clock, manager, exits, calls, changes, events}
}

function target(h: Harness, container: Container, containerId = 'c1', startedAt = h.clock.now()): ProbeTarget {
  return {podUid: 'pod-1', namespace: 'default', podName: 'web', podIP: '127.0.0.1', container, containerId, startedAt}
}

const execProbe = (word: string, extra: Record<string, number> = {}) => ({exec: {command: [word]}, ...extra})

describe('ProbeManager', () => {
  it('treats a container without probes as started and ready, never to be restarted', async () => {
    const h = harness()
    h.manager.sync('pod-1', [target(h, {name: 'app'})])
    await settle()
    expect(h.manager.started('pod-1', 'c1')).toBe(true)
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(false)
    expect(h.clock.pendingSleeps).toBe(0)
  })

  it('holds a container unready until its readiness probe first succeeds, then reports the change', async () => {
    const h = harness()
    h.exits.set('ready', 1)
    h.manager.sync('pod-1', [target(h, {name: 'app', readinessProbe: execProbe('ready')})])
    expect(h.manager.ready('pod-1', 'c1')).toBe(false)
    await settle()
    expect(h.calls).toEqual([['ready']])
    expect(h.events).toEqual([{kind: 'readiness', message: 'Readiness probe failed: ready said no', container: 'app'}])
    expect(h.manager.ready('pod-1', 'c1')).toBe(false)
    expect(h.changes).toEqual([])

    h.exits.set('ready', 0)
    await h.clock.advance(9_999)
    expect(h.calls).toHaveLength(1)
    await h.clock.advance(1)
    await settle()
    expect(h.calls).toHaveLength(2)
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
    expect(h.changes).toEqual(['pod-1'])
  })

  it('turns a ready container unready only after failureThreshold failures in a row', async () => {
    const h = harness()
    h.manager.sync('pod-1', [target(h, {name: 'app', readinessProbe: execProbe('ready', {periodSeconds: 5, failureThreshold: 2})})])
    await settle()
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
    h.exits.set('ready', 1)
    await h.clock.advance(5_000)
    await settle()
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
    await h.clock.advance(5_000)
    await settle()
    expect(h.manager.ready('pod-1', 'c1')).toBe(false)
    expect(h.changes).toEqual(['pod-1', 'pod-1'])
    expect(h.events.map((e) => e.message)).toEqual(['Readiness probe failed: ready said no', 'Readiness probe failed: ready said no'])
  })

  it('needs successThreshold successes in a row before a readiness probe counts as passed', async () => {
    const h = harness()
    h.manager.sync('pod-1', [target(h, {name: 'app', readinessProbe: execProbe('ready', {successThreshold: 3})})])
    await settle()
    await h.clock.advance(10_000)
    await settle()
    expect(h.manager.ready('pod-1', 'c1')).toBe(false)
    await h.clock.advance(10_000)
    await settle()
    expect(h.calls).toHaveLength(3)
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
  })

  it('does not probe before initialDelaySeconds have passed since the container started', async () => {
    const h = harness()
    const startedAt = h.clock.now()
    await h.clock.advance(3_000)
    h.manager.sync('pod-1', [target(h, {name: 'app', readinessProbe: execProbe('ready', {initialDelaySeconds: 15, periodSeconds: 5})}, 'c1', startedAt)])
    await settle()
    expect(h.calls).toHaveLength(0)
    await h.clock.advance(10_000) // 13 s after start
    await settle()
    expect(h.calls).toHaveLength(0)
    await h.clock.advance(5_000) // 18 s after start
    await settle()
    expect(h.calls).toHaveLength(1)
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
  })

  it('condemns a container whose liveness probe fails failureThreshold times, then stops probing it', async () => {
    const h = harness()
    h.exits.set('alive', 1)
    h.manager.sync('pod-1', [target(h, {name: 'app', livenessProbe: execProbe('alive')})])
    await settle()
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(false)
    await h.clock.advance(10_000)
    await settle()
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(false)
    await h.clock.advance(10_000)
    await settle()
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(true)
    expect(h.manager.failedProbe('pod-1', 'c1')).toBe('liveness')
    expect(h.changes).toEqual(['pod-1'])
    expect(h.events.map((e) => e.message)).toEqual(Array(3).fill('Liveness probe failed: alive said no'))
    await h.clock.advance(60_000)
    await settle()
    expect(h.calls).toHaveLength(3)
  })

  it('starts a restarted container afresh because results are keyed by container ID', async () => {
    const h = harness()
    h.exits.set('alive', 1)
    const container: Container = {name: 'app', livenessProbe: execProbe('alive', {failureThreshold: 1}), readinessProbe: execProbe('ready')}
    h.manager.sync('pod-1', [target(h, container, 'c1')])
    await settle()
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(true)
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)

    h.exits.set('alive', 0)
    h.manager.sync('pod-1', [target(h, container, 'c2')])
    expect(h.manager.mustRestart('pod-1', 'c2')).toBe(false)
    expect(h.manager.ready('pod-1', 'c2')).toBe(false)
    await settle()
    expect(h.manager.ready('pod-1', 'c2')).toBe(true)
    // The old instance's results are gone with its workers.
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(false)
  })

  it('runs no liveness or readiness probe until the startup probe has passed', async () => {
    const h = harness()
    h.exits.set('boot', 1)
    h.manager.sync('pod-1', [target(h, {
      name: 'app',
      startupProbe: execProbe('boot', {periodSeconds: 2, failureThreshold: 30}),
      livenessProbe: execProbe('alive', {periodSeconds: 3}),
      readinessProbe: execProbe('ready', {periodSeconds: 3}),
    })])
    await settle()
    expect(h.manager.started('pod-1', 'c1')).toBe(false)
    expect(h.manager.ready('pod-1', 'c1')).toBe(false)
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(2_000)
      await settle()
    }
    expect(h.calls.map((c) => c[0])).toEqual(['boot', 'boot', 'boot', 'boot'])
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(false)

    h.exits.set('boot', 0)
    await h.clock.advance(2_000) // t = 8 s: startup passes
    await settle()
    expect(h.manager.started('pod-1', 'c1')).toBe(true)
    expect(h.manager.ready('pod-1', 'c1')).toBe(false)
    await h.clock.advance(1_000) // t = 9 s: the next liveness/readiness tick
    await settle()
    expect(h.calls.map((c) => c[0]).sort()).toEqual(['alive', 'boot', 'boot', 'boot', 'boot', 'boot', 'ready'])
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
    await h.clock.advance(20_000)
    await settle()
    expect(h.calls.filter((c) => c[0] === 'boot')).toHaveLength(5)
  })

  it('condemns a container whose startup probe runs out of attempts', async () => {
    const h = harness()
    h.exits.set('boot', 1)
    h.manager.sync('pod-1', [target(h, {name: 'app', startupProbe: execProbe('boot', {periodSeconds: 1, failureThreshold: 2})})])
    await settle()
    await h.clock.advance(1_000)
    await settle()
    expect(h.manager.failedProbe('pod-1', 'c1')).toBe('startup')
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(true)
    expect(h.manager.started('pod-1', 'c1')).toBe(false)
    expect(h.events.map((e) => e.message)).toEqual(['Startup probe failed: boot said no', 'Startup probe failed: boot said no'])
  })

  it('stops the workers of containers no longer listed and of forgotten pods', async () => {
    const h = harness()
    h.manager.sync('pod-1', [target(h, {name: 'app', readinessProbe: execProbe('ready')})])
    h.manager.sync('pod-2', [{...target(h, {name: 'db', livenessProbe: execProbe('alive')}), podUid: 'pod-2'}])
    await settle()
    expect(h.clock.pendingSleeps).toBe(2)
    h.manager.sync('pod-1', [])
    await settle()
    expect(h.clock.pendingSleeps).toBe(1)
    h.manager.forgetPod('pod-2')
    await settle()
    expect(h.clock.pendingSleeps).toBe(0)
    await h.clock.advance(30_000)
    expect(h.calls).toHaveLength(2)
  })

  it('keeps a container\'s workers and results when synced again with the same container ID', async () => {
    const h = harness()
    const t = target(h, {name: 'app', readinessProbe: execProbe('ready')})
    h.manager.sync('pod-1', [t])
    await settle()
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
    h.manager.sync('pod-1', [{...t, podIP: '10.0.0.9'}])
    await settle()
    expect(h.calls).toHaveLength(1)
    expect(h.manager.ready('pod-1', 'c1')).toBe(true)
  })

  it('records an errored probe without changing the result when the probe cannot run', async () => {
    const h = harness()
    h.manager.sync('pod-1', [target(h, {name: 'app', livenessProbe: {tcpSocket: {port: 'metrics'}, failureThreshold: 1}})])
    await settle()
    expect(h.events).toEqual([{kind: 'liveness', container: 'app', message: 'Liveness probe errored: strconv.Atoi: parsing "metrics": invalid syntax'}])
    expect(h.manager.mustRestart('pod-1', 'c1')).toBe(false)
  })

  it('probes nothing after stop()', async () => {
    const h = harness()
    h.manager.sync('pod-1', [target(h, {name: 'app', readinessProbe: execProbe('ready')})])
    await settle()
    h.manager.stop()
    h.manager.sync('pod-1', [target(h, {name: 'app', readinessProbe: execProbe('ready')}, 'c2')])
    await h.clock.advance(60_000)
    await settle()
    expect(h.calls).toHaveLength(1)
  })
})

describe('ProbeManager callbacks', () => {
  it('keeps probing when onChange throws', async () => {
    const clock = new ManualClock()
    let exit = 1
    let calls = 0
    const manager = new ProbeManager({
      clock,
      exec: async () => {
        calls++
        return {exitCode: exit, output: ''}
      },
      onChange: () => {
        throw new Error('agent is busy')
      },
    })
    managers.push(manager)
    manager.sync('pod-1', [{podUid: 'pod-1', namespace: 'default', podName: 'web', container: {name: 'app', readinessProbe: {exec: {command: ['x']}}}, containerId: 'c1', startedAt: clock.now()}])
    await settle()
    exit = 0
    await clock.advance(10_000)
    await settle()
    expect(manager.ready('pod-1', 'c1')).toBe(true)
    exit = 1
    await clock.advance(30_000)
    await settle()
    expect(calls).toBe(5)
    expect(manager.ready('pod-1', 'c1')).toBe(false)
  })
})
