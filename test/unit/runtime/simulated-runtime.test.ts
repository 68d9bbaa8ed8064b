import {mkdtempSync, readFileSync, appendFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {SimulatedRuntime} from '../../../src/cluster/runtime/simulated/simulated-runtime.js'
import type {ContainerSpec} from '../../../src/cluster/runtime/runtime.js'

const spec = (pod: string, container = 'main', uid = `uid-${pod}`): ContainerSpec => ({
  namespace: 'default',
  podName: pod,
  podUid: uid,
  containerName: container,
  image: 'busybox',
  restartCount: 0,
})

async function until(fn: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !fn(); i++) await new Promise((r) => setImmediate(r))
}

describe('SimulatedRuntime', () => {
  it('runs a container only after the start delay has passed on its clock', async () => {
    const clock = new ManualClock()
    const runtime = new SimulatedRuntime({clock, startDelayMs: 1000})
    const started = runtime.start(spec('web'))
    await until(() => clock.pendingSleeps === 1)
    expect((await runtime.list())[0].state.state).toBe('created')
    await clock.advance(999)
    expect((await runtime.list())[0].state.state).toBe('created')
    await clock.advance(1)
    const c = await started
    expect(c.state).toEqual({state: 'running', startedAt: new Date('2026-01-01T00:00:01Z')})
  })

  it('exits with 143 when the process stops within the grace period and 137 when it is killed at its end', async () => {
    const clock = new ManualClock()
    const runtime = new SimulatedRuntime({clock, startDelayMs: 0, stopDelayMs: 5000})
    const polite = await runtime.start(spec('a'))
    const stubborn = await runtime.start(spec('b'))
    const stopping = [runtime.stop(polite.id, 30), runtime.stop(stubborn.id, 2)]
    await until(() => clock.pendingSleeps === 2)
    await clock.advance(2000)
    await until(() => false)
    const [, b] = await runtime.list().then((l) => [l.find((c) => c.id === polite.id)!, l.find((c) => c.id === stubborn.id)!])
    expect(b.state).toMatchObject({state: 'exited', exitCode: 137})
    await clock.advance(3000)
    await Promise.all(stopping)
    const a = (await runtime.list()).find((c) => c.id === polite.id)!
    expect(a.state).toMatchObject({state: 'exited', exitCode: 143, finishedAt: new Date('2026-01-01T00:00:05Z')})
  })

  it('gives all containers of a pod one IP and different pods different IPs', async () => {
    const runtime = new SimulatedRuntime({clock: new ManualClock(), startDelayMs: 0})
    const a1 = await runtime.start(spec('a', 'one'))
    const a2 = await runtime.start(spec('a', 'two'))
    const b = await runtime.start(spec('b'))
    expect(a1.podIP).toMatch(/^10\.244\.\d+\.\d+$/)
    expect(a2.podIP).toBe(a1.podIP)
    expect(b.podIP).not.toBe(a1.podIP)
  })

  it('lists by pod uid and by namespace and pod name', async () => {
    const runtime = new SimulatedRuntime({clock: new ManualClock(), startDelayMs: 0})
    await runtime.start(spec('a', 'one'))
    await runtime.start(spec('a', 'two', 'uid-other'))
    await runtime.start(spec('b'))
    expect((await runtime.list({podUid: 'uid-a'})).map((c) => c.spec.containerName)).toEqual(['one'])
    expect((await runtime.list({namespace: 'default', podName: 'a'})).map((c) => c.spec.containerName).sort()).toEqual(['one', 'two'])
    expect(await runtime.list({namespace: 'other', podName: 'a'})).toEqual([])
  })

  it('keeps its containers across instances through the journal, ignoring a line cut short by a crash', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'sim-rt-')), 'sim-runtime.json')
    const first = new SimulatedRuntime({clock: new ManualClock(), startDelayMs: 0, statePath, saveDelayMs: 0})
    const keep = await first.start(spec('keep'))
    const gone = await first.start(spec('gone'))
    await first.remove(gone.id)
    await new Promise((r) => setTimeout(r, 20))
    appendFileSync(statePath, '{"put":{"id":"half')
    const second = new SimulatedRuntime({clock: new ManualClock(), statePath})
    expect((await second.list()).map((c) => c.id)).toEqual([keep.id])
    expect((await second.list())[0].state.state).toBe('running')
  })

  it('rewrites the journal as a snapshot on flush', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'sim-rt-')), 'sim-runtime.json')
    const runtime = new SimulatedRuntime({clock: new ManualClock(), startDelayMs: 0, statePath})
    const c = await runtime.start(spec('x'))
    await runtime.stop(c.id, 0)
    runtime.flush()
    const lines = readFileSync(statePath, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]).put.state.state).toBe('exited')
  })
})
