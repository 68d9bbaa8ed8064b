// Simulated nodes seen through the API: a new cluster with nodeCount 3 registers three Ready nodes
// that run pods; a node whose heartbeat annotation says `stopped` stops renewing its Lease and leaves
// its pods alone until it is recovered; a deleted node's pods are garbage-collected.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, NODE_NAME, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {mustCreate, pod, POD_PATH} from './objects.js'

const MERGE = 'application/merge-patch+json'
const SECOND = `${NODE_NAME}-m02`
const THIRD = `${NODE_NAME}-m03`
const NODE_PATH = (name = '') => `/api/v1/nodes${name ? `/${name}` : ''}`
const LEASE_PATH = (name: string) => `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster({nodeCount: 3, nodeCpu: '2', nodeMemory: '4Gi', nodeMaxPods: 20, leaseRenewMs: 100, disableControllers: ['node-lifecycle-controller', 'taint-eviction-controller']})
})
afterAll(async () => {
  await k?.stop()
})

const ready = (node: any) => node.status?.conditions?.find((c: {type: string}) => c.type === 'Ready')?.status === 'True'
const podOn = (name: string, nodeName: string) => pod(name, {}, {nodeName})
const renewTime = async (node: string) => (await k.request('GET', LEASE_PATH(node))).json.spec.renewTime as string

async function runningPod(name: string): Promise<any> {
  return eventually(async () => {
    const r = await k.request('GET', POD_PATH('default', name))
    return r.json?.status?.phase === 'Running' ? r.json : undefined
  }, `pod ${name} Running`)
}

describe('simulated nodes', () => {
  it('registers every node of a new cluster Ready, with the size it was given and only the first as control plane', async () => {
    const nodes = await eventually(async () => {
      const items = (await k.request('GET', NODE_PATH())).json.items
      return items.length === 3 && items.every(ready) ? items : undefined
    }, 'three Ready nodes')
    expect(nodes.map((n: any) => n.metadata.name).sort()).toEqual([NODE_NAME, SECOND, THIRD])
    for (const node of nodes) {
      expect(node.status.capacity).toMatchObject({cpu: '2', memory: '4Gi', pods: '20'})
      expect(node.metadata.labels['kubernetes.io/hostname']).toBe(node.metadata.name)
      expect('node-role.kubernetes.io/control-plane' in node.metadata.labels).toBe(node.metadata.name === NODE_NAME)
    }
  })

  it('runs a pod bound to any of its nodes and reports kubelet events from that node', async () => {
    const name = uniqueName('on-third')
    await mustCreate(k, POD_PATH('default'), podOn(name, THIRD))
    const running = await runningPod(name)
    expect(running.spec.nodeName).toBe(THIRD)
    const events = await eventually(async () => {
      const r = await k.request('GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`)
      const reasons = r.json.items.map((e: any) => e.reason)
      return ['Pulled', 'Created', 'Started'].every((x) => reasons.includes(x)) ? r.json.items : undefined
    }, 'kubelet events for the pod')
    const started = events.find((e: any) => e.reason === 'Started')
    expect(started.source).toEqual({component: 'kubelet', host: THIRD})
    expect(started.involvedObject.fieldPath).toBe('spec.containers{nginx}')
    expect(started.message).toBe('Started container nginx')
  })

  it('honours a node added through the API with its own capacity annotation', async () => {
    const name = uniqueName('added')
    await mustCreate(k, NODE_PATH(), {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {name, annotations: {'kcluster.dev/simulated': 'true', 'kcluster.dev/capacity': '{"cpu":"500m","pods":3}'}},
    })
    const node = await eventually(async () => {
      const r = await k.request('GET', NODE_PATH(name))
      return ready(r.json) ? r.json : undefined
    }, 'the added node Ready')
    expect(node.status.capacity).toMatchObject({cpu: '500m', memory: '4Gi', pods: '3'})
    await k.request('DELETE', NODE_PATH(name))
  })

  it('stops the heartbeat and pod sync of a failed node, and resumes both on recovery', async () => {
    const before = await renewTime(SECOND)
    const patched = await k.request('PATCH', NODE_PATH(SECOND), {body: {metadata: {annotations: {'kcluster.dev/heartbeat': 'stopped'}}}, contentType: MERGE})
    expect(patched.status).toBe(200)
    // Give the agent a few renew intervals to notice, then the lease must stand still.
    await new Promise((r) => setTimeout(r, 400))
    const frozen = await renewTime(SECOND)
    expect(frozen >= before).toBe(true)
    await new Promise((r) => setTimeout(r, 500))
    expect(await renewTime(SECOND)).toBe(frozen)
    expect(await renewTime(THIRD) > frozen).toBe(true)

    const name = uniqueName('on-failed')
    await mustCreate(k, POD_PATH('default'), podOn(name, SECOND))
    await new Promise((r) => setTimeout(r, 500))
    const waiting = (await k.request('GET', POD_PATH('default', name))).json
    expect(waiting.status?.phase ?? 'Pending').toBe('Pending')
    expect(waiting.status?.containerStatuses).toBeUndefined()

    await k.request('PATCH', NODE_PATH(SECOND), {body: {metadata: {annotations: {'kcluster.dev/heartbeat': null}}}, contentType: MERGE})
    await runningPod(name)
    await eventually(async () => (await renewTime(SECOND)) > frozen, 'the lease renewed again')
  })

  it('force-deletes the pods of a node that is deleted', async () => {
    const name = uniqueName('orphan')
    await mustCreate(k, POD_PATH('default'), podOn(name, THIRD))
    await runningPod(name)
    expect((await k.request('DELETE', NODE_PATH(THIRD))).status).toBe(200)
    await eventually(async () => (await k.request('GET', POD_PATH('default', name))).status === 404, 'the orphaned pod deleted')
  })
})
