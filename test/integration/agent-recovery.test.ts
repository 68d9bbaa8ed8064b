// The node agent after a control-plane restart: running pods are adopted as they are (no new
// containers, no status rewrite), and containers of pods deleted while it was down are removed.
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {openSqliteStore} from '../../src/cluster/store/sqlite-store.js'
import {SimulatedRuntime} from '../../src/cluster/runtime/simulated/simulated-runtime.js'
import {systemClock} from '../../src/cluster/clock.js'
import {eventually, startTestCluster, type TestCluster} from './harness.js'

const pod = (name: string) => ({apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'main', image: 'busybox'}]}})

async function runningPod(k: TestCluster, name: string) {
  return eventually(async () => {
    const r = await k.request('GET', `/api/v1/namespaces/default/pods/${name}`)
    const p = r.json as {status?: {phase?: string}; metadata: {resourceVersion: string}}
    return p.status?.phase === 'Running' ? p : undefined
  }, `pod ${name} Running`)
}

describe('node agent recovery after a restart', () => {
  let stateDir: string | undefined
  afterAll(() => {
    if (stateDir) rmSync(stateDir, {recursive: true, force: true})
  })

  it('adopts running containers unchanged and removes those of pods deleted while it was down', async () => {
    const first = await startTestCluster({}, {keepState: true})
    stateDir = first.stateDir
    for (const name of ['keep', 'gone']) expect((await first.request('POST', '/api/v1/namespaces/default/pods', {body: pod(name)})).status).toBe(201)
    const kept = await runningPod(first, 'keep')
    await runningPod(first, 'gone')
    await first.stop()

    // The pod disappears behind the control plane's back (as if deleted by a crashed writer's last commit).
    const store = await openSqliteStore(join(stateDir, 'store.db'))
    await store.delete('/registry/core/pods/default/gone')
    await store.close()
    const statePath = join(stateDir, 'sim-runtime.json')
    const before = await new SimulatedRuntime({clock: systemClock, statePath}).list()
    expect(before.map((c) => c.spec.podName).sort()).toEqual(['gone', 'keep'])

    const second = await startTestCluster({}, {stateDir, keepState: true})
    try {
      await eventually(async () => {
        const r = await second.request('GET', '/api/v1/namespaces/default/pods/keep')
        return r.status === 200
      }, 'API back')
      await new Promise((r) => setTimeout(r, 500))
      const again = (await second.request('GET', '/api/v1/namespaces/default/pods/keep')).json as {metadata: {resourceVersion: string}}
      expect(again.metadata.resourceVersion).toBe(kept.metadata.resourceVersion)
    } finally {
      await second.stop()
    }
    const after = await new SimulatedRuntime({clock: systemClock, statePath}).list()
    expect(after.map((c) => c.spec.podName)).toEqual(['keep'])
    expect(after[0].id).toBe(before.find((c) => c.spec.podName === 'keep')!.id)
  })

  it('replaces a container whose start was cut off by a stop, so the pod still comes up', async () => {
    const first = await startTestCluster({simStartDelayMs: 60_000}, {keepState: true})
    const dir = first.stateDir
    try {
      expect((await first.request('POST', '/api/v1/namespaces/default/pods', {body: pod('slow')})).status).toBe(201)
      await eventually(async () => {
        const r = (await first.request('GET', '/api/v1/namespaces/default/pods/slow')).json as {status?: {containerStatuses?: Array<{state?: {waiting?: {reason?: string}}}>}}
        return r.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating'
      }, 'pod ContainerCreating')
      await new Promise((r) => setTimeout(r, 300))
    } finally {
      await first.stop()
    }
    const held = await new SimulatedRuntime({clock: systemClock, statePath: join(dir, 'sim-runtime.json')}).list()
    expect(held.map((c) => c.state.state)).toEqual(['created'])

    const second = await startTestCluster({simStartDelayMs: 10}, {stateDir: dir})
    try {
      await runningPod(second, 'slow')
    } finally {
      await second.stop()
    }
  })
})
