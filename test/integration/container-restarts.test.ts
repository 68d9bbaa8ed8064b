// Restart policy and crash back-off on the simulated runtime (whose `sh -c 'exit N'` containers exit):
// Always restarts with a growing back-off, shown as CrashLoopBackOff with the last exit as lastState
// and a BackOff event; OnFailure stops at exit 0; Never leaves the pod Failed.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {mustCreate, POD_PATH} from './objects.js'

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster({simStartDelayMs: 20})
})
afterAll(async () => {
  await k?.stop()
})

function crashingPod(name: string, restartPolicy: string, script: string) {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {restartPolicy, containers: [{name: 'app', image: 'kcluster-test/busybox:1', command: ['sh', '-c', script]}]}}
}

const getPod = async (name: string) => (await k.request('GET', POD_PATH('default', name))).json

describe('container restarts', () => {
  it('restarts a crashing container at once, then waits in CrashLoopBackOff with the last exit as lastState', async () => {
    const name = uniqueName('crash')
    await mustCreate(k, POD_PATH('default'), crashingPod(name, 'Always', 'exit 1'))
    const pod = await eventually(async () => {
      const p = await getPod(name)
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined
    }, 'CrashLoopBackOff')
    const status = pod.status.containerStatuses[0]
    expect(status.restartCount).toBe(1)
    expect(status.state.waiting.message).toBe(`back-off 10s restarting failed container=app pod=${name}_default(${pod.metadata.uid})`)
    expect(status.lastState.terminated).toMatchObject({exitCode: 1, reason: 'Error'})
    expect(status.ready).toBe(false)
    expect(pod.status.phase).toBe('Running')
    const events = await eventually(async () => {
      const r = await k.request('GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name},reason=BackOff`)}`)
      return r.json.items.length ? r.json.items : undefined
    }, 'a BackOff event')
    expect(events[0]).toMatchObject({type: 'Warning', message: `Back-off restarting failed container app in pod ${name}_default(${pod.metadata.uid})`})
  })

  it('restarts OnFailure containers until they exit 0, then the pod Succeeded', async () => {
    const name = uniqueName('once')
    await mustCreate(k, POD_PATH('default'), crashingPod(name, 'OnFailure', 'exit 0'))
    const pod = await eventually(async () => {
      const p = await getPod(name)
      return p.status?.phase === 'Succeeded' ? p : undefined
    }, 'Succeeded')
    expect(pod.status.containerStatuses[0]).toMatchObject({restartCount: 0, state: {terminated: {exitCode: 0, reason: 'Completed'}}})
  })

  it('leaves a Never pod Failed with the exit code', async () => {
    const name = uniqueName('never')
    await mustCreate(k, POD_PATH('default'), crashingPod(name, 'Never', 'sleep 0.2; exit 7'))
    const pod = await eventually(async () => {
      const p = await getPod(name)
      return p.status?.phase === 'Failed' ? p : undefined
    }, 'Failed')
    expect(pod.status.containerStatuses[0]).toMatchObject({restartCount: 0, state: {terminated: {exitCode: 7, reason: 'Error'}}})
  })
})

describe('init containers', () => {
  const withInits = (name: string, restartPolicy: string, inits: string[]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name},
    spec: {
      restartPolicy,
      initContainers: inits.map((script, i) => ({name: `init-${i + 1}`, image: 'kcluster-test/busybox:1', command: ['sh', '-c', script]})),
      containers: [{name: 'app', image: 'kcluster-test/busybox:1', command: ['sleep', '3600']}],
    },
  })

  it('runs init containers one after another to success before the app container starts', async () => {
    const name = uniqueName('inits')
    await mustCreate(k, POD_PATH('default'), withInits(name, 'Always', ['sleep 0.3; exit 0', 'exit 0']))
    const early = await eventually(async () => {
      const p = await getPod(name)
      return p.status?.initContainerStatuses?.[0]?.state?.running ? p : undefined
    }, 'the first init container running')
    expect(early.status.phase).toBe('Pending')
    expect(early.status.initContainerStatuses[1].state.waiting).toBeDefined()
    expect(early.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing')
    expect(early.status.conditions.find((c: any) => c.type === 'Initialized')).toMatchObject({status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-1 init-2]'})
    const done = await eventually(async () => {
      const p = await getPod(name)
      return p.status?.phase === 'Running' ? p : undefined
    }, 'Running after the init containers')
    for (const s of done.status.initContainerStatuses) expect(s.state.terminated).toMatchObject({exitCode: 0, reason: 'Completed'})
    expect(done.status.conditions.find((c: any) => c.type === 'Initialized').status).toBe('True')
    expect(done.status.containerStatuses[0].state.running).toBeDefined()
  })

  it('fails the pod when an init container fails under restartPolicy Never, never starting the app', async () => {
    const name = uniqueName('init-fails')
    await mustCreate(k, POD_PATH('default'), withInits(name, 'Never', ['exit 2']))
    const pod = await eventually(async () => {
      const p = await getPod(name)
      return p.status?.phase === 'Failed' ? p : undefined
    }, 'Failed')
    expect(pod.status.initContainerStatuses[0].state.terminated).toMatchObject({exitCode: 2, reason: 'Error'})
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing')
  })

  it('retries a failing init container with the crash back-off otherwise', async () => {
    const name = uniqueName('init-loop')
    await mustCreate(k, POD_PATH('default'), withInits(name, 'Always', ['exit 1']))
    const pod = await eventually(async () => {
      const p = await getPod(name)
      return p.status?.initContainerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined
    }, 'Init:CrashLoopBackOff')
    expect(pod.status.phase).toBe('Pending')
    expect(pod.status.initContainerStatuses[0].restartCount).toBe(1)
    const table = await k.request('GET', POD_PATH('default', name), {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'})
    expect(table.json.rows[0].cells[2]).toBe('Init:CrashLoopBackOff')
  })
})
