// Node lifecycle on the in-process cluster with a manual clock: a second node whose Lease stops being
// renewed goes Ready=Unknown with the unreachable taints, its pods are marked not ready and evicted as
// their NoExecute tolerations run out, and a node that reports again loses the taints.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Event, Node, Pod} from 'kubernetes-types/core/v1.js'
import {createNodeLifecycleController} from '../../src/cluster/controllers/node-lifecycle/node-lifecycle-controller.js'
import {createTaintEvictionController} from '../../src/cluster/controllers/node-lifecycle/taint-eviction-controller.js'
import {ManualClock} from '../../src/cluster/manual-clock.js'
import {rfc3339} from '../../src/cluster/clock.js'
import {eventually, NODE_NAME, startTestCluster, type TestCluster} from './harness.js'

const WORKER = 'worker-1'
const UNREACHABLE = 'node.kubernetes.io/unreachable'
const T0 = new Date('2026-01-01T00:00:00Z')

const conditions = (status: string, at: string) =>
  [
    ['MemoryPressure', 'False'],
    ['DiskPressure', 'False'],
    ['PIDPressure', 'False'],
    ['Ready', ''],
  ].map(([type, s]) => ({type, status: type === 'Ready' ? status : s, lastHeartbeatTime: at, lastTransitionTime: at, reason: 'Test', message: 'test'}))

const leaseTime = (d: Date) => d.toISOString().replace('Z', '000Z')

function podOnWorker(name: string, tolerationSeconds?: number) {
  const tolerations = tolerationSeconds === undefined ? undefined : [{key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds}]
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {nodeName: WORKER, tolerations, containers: [{name: 'main', image: 'busybox'}]}}
}

describe('node lifecycle and NoExecute taint eviction', () => {
  const clock = new ManualClock(T0)
  let k: TestCluster

  // Small real-time steps, so the node agent of the built-in node keeps renewing its own Lease.
  async function advance(ms: number): Promise<void> {
    for (let done = 0; done < ms; done += 500) {
      await clock.advance(Math.min(500, ms - done))
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  const getNode = async (name: string) => (await k.request('GET', `/api/v1/nodes/${name}`)).json as Node
  const getPod = async (name: string) => (await k.request('GET', `/api/v1/namespaces/default/pods/${name}`)).json as Pod
  const events = async () => ((await k.request('GET', '/api/v1/namespaces/default/events')).json as {items: Event[]}).items

  beforeAll(async () => {
    k = await startTestCluster({
      clock,
      // Requeue timers run on real time; short periods make them re-read the manual clock often.
      disableControllers: ['node-lifecycle-controller', 'taint-eviction-controller'],
      extraControllers: (d) => [
        createNodeLifecycleController({...d, monitorPeriodMs: 20}),
        createTaintEvictionController({...d, recheckPeriodMs: 20}),
      ],
    })
    const at = rfc3339(T0)
    const node = {apiVersion: 'v1', kind: 'Node', metadata: {name: WORKER, labels: {'kubernetes.io/hostname': WORKER}}, status: {conditions: conditions('True', at)}}
    expect((await k.request('POST', '/api/v1/nodes', {body: node})).status).toBe(201)
    const lease = {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name: WORKER}, spec: {holderIdentity: WORKER, leaseDurationSeconds: 40, renewTime: leaseTime(T0)}}
    expect((await k.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {body: lease})).status).toBe(201)
    for (const [name, seconds] of [['fast', 2], ['now', 0], ['patient', undefined]] as const)
      expect((await k.request('POST', '/api/v1/namespaces/default/pods', {body: podOnWorker(name, seconds)})).status).toBe(201)
    const ready = {status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: at}]}}
    const patched = await k.request('PATCH', '/api/v1/namespaces/default/pods/patient/status', {body: ready, contentType: 'application/merge-patch+json'})
    expect(patched.status).toBe(200)
  })
  afterAll(async () => {
    await k?.stop()
  })

  it('keeps a node Ready for the whole grace period after its last heartbeat', async () => {
    await advance(39_000)
    await new Promise((r) => setTimeout(r, 200))
    const node = await getNode(WORKER)
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True')
    expect(node.spec?.taints ?? []).toEqual([])
  })

  it('marks a silent node Unknown, taints it unreachable and evicts pods tolerating 0 s at once', async () => {
    await advance(2_000)
    const node = await eventually(async () => {
      const n = await getNode(WORKER)
      return (n.spec?.taints ?? []).length === 2 ? n : undefined
    }, 'unreachable taints on the silent node')
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const c = node.status!.conditions!.find((x) => x.type === type)!
      expect(c).toMatchObject({status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: rfc3339(T0)})
    }
    expect(node.spec!.taints!.map((t) => `${t.key}:${t.effect}`).sort()).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`])
    // Stamped when the node expired (just after 40 s; metav1.Time keeps whole seconds).
    const added = Date.parse(node.spec!.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded!)
    expect(added).toBeGreaterThanOrEqual(T0.getTime() + 40_000)
    expect(added).toBeLessThanOrEqual(clock.now().getTime())

    const evicted = await eventually(async () => {
      const p = await getPod('now')
      return p.metadata?.deletionTimestamp ? p : undefined
    }, 'pod tolerating 0 s marked for deletion')
    expect(evicted.status?.conditions).toContainEqual(expect.objectContaining({type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint'}))

    // MarkPodsNotReady, so Endpoints drop the pods of the silent node.
    await eventually(async () => (await getPod('patient')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False', 'pod on the silent node not ready')
    // The node with a live agent is untouched.
    const own = await getNode(NODE_NAME)
    expect(own.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True')
    expect((own.spec?.taints ?? []).filter((t) => t.key === UNREACHABLE)).toEqual([])
  })

  it('evicts a pod tolerating 2 s only once 2 s of clock time have passed since the taint', async () => {
    const taint = (await getNode(WORKER)).spec!.taints!.find((t) => t.effect === 'NoExecute')!
    const deadline = Date.parse(taint.timeAdded!) + 2_000
    expect(clock.now().getTime()).toBeLessThan(deadline - 500)
    await advance(deadline - 500 - clock.now().getTime())
    await new Promise((r) => setTimeout(r, 300))
    expect((await getPod('fast')).metadata?.deletionTimestamp).toBeUndefined()

    await advance(1_000)
    const pod = await eventually(async () => {
      const p = await getPod('fast')
      return p.metadata?.deletionTimestamp ? p : undefined
    }, 'pod tolerating 2 s marked for deletion')
    expect(pod.status?.conditions?.map((c) => c.type)).toContain('DisruptionTarget')
    // Nobody finishes the deletion on a dead node: the pod stays Terminating, as on a real cluster.
    expect((await k.request('GET', '/api/v1/namespaces/default/pods/fast')).status).toBe(200)
    expect((await getPod('patient')).metadata?.deletionTimestamp).toBeUndefined()
  })

  it('records NodeNotReady for the node and TaintManagerEviction for each evicted pod', async () => {
    await eventually(async () => {
      const list = await events()
      const nodeEvent = list.find((e) => e.reason === 'NodeNotReady' && e.involvedObject.kind === 'Node' && e.involvedObject.name === WORKER)
      const marked = ['now', 'fast'].every((name) => list.some((e) => e.reason === 'TaintManagerEviction' && e.message === `Marking for deletion Pod default/${name}`))
      return nodeEvent?.message === `Node ${WORKER} status is now: NodeNotReady` && nodeEvent.involvedObject.uid === WORKER && marked
    }, 'node and eviction events')
  })

  it('removes the taints once the node reports Ready again, cancelling the pending eviction', async () => {
    const now = clock.now()
    const lease = await k.request('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${WORKER}`, {body: {spec: {renewTime: leaseTime(now)}}, contentType: 'application/merge-patch+json'})
    expect(lease.status).toBe(200)
    const status = await k.request('PATCH', `/api/v1/nodes/${WORKER}/status`, {body: {status: {conditions: conditions('True', rfc3339(now))}}, contentType: 'application/merge-patch+json'})
    expect(status.status).toBe(200)
    await eventually(async () => ((await getNode(WORKER)).spec?.taints ?? []).length === 0, 'taints removed from the recovered node')
    await eventually(
      async () => (await events()).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Cancelling deletion of Pod default/patient'),
      'eviction of the patient pod cancelled',
    )
    expect((await getPod('patient')).metadata?.deletionTimestamp).toBeUndefined()
  })
})
