// The node agent on the simulated runtime, seen through the API: pods are bound, started and
// reported Running/Ready; the Node is Ready and its Lease in kube-node-lease keeps being renewed.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, NODE_NAME, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {mustCreate, pod, POD_PATH, RFC3339_SECONDS} from './objects.js'

const LEASE_PATH = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE_NAME}`
const MERGE = 'application/merge-patch+json'

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster({simStartDelayMs: 100, leaseRenewMs: 200})
})
afterAll(async () => {
  await k?.stop()
})

const condition = (obj: any, type: string) => (obj.status?.conditions ?? []).find((c: {type: string}) => c.type === type)

describe('pods', () => {
  it('binds a new pod to the node and reports it Running and Ready with IPs, start time and container statuses', async () => {
    const name = uniqueName('web')
    const created = await mustCreate(k, POD_PATH('default'), pod(name))
    const running = await eventually(async () => {
      const r = await k.request('GET', POD_PATH('default', name))
      return r.json?.status?.phase === 'Running' && condition(r.json, 'Ready')?.status === 'True' ? r.json : undefined
    }, `pod ${name} to be Running and Ready`)
    expect(running.metadata.uid).toBe(created.metadata.uid)
    expect(running.spec.nodeName).toBe(NODE_NAME)
    const s = running.status
    expect(s.hostIP).toBe('127.0.0.1')
    expect(s.hostIPs).toEqual([{ip: '127.0.0.1'}])
    expect(s.podIP).toMatch(/^10\.244\.\d+\.\d+$/)
    expect(s.podIPs).toEqual([{ip: s.podIP}])
    expect(s.startTime).toMatch(RFC3339_SECONDS)
    for (const type of ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled']) expect(condition(running, type)?.status, type).toBe('True')
    expect(s.containerStatuses).toHaveLength(1)
    const [c] = s.containerStatuses
    expect(c).toMatchObject({name: 'nginx', image: 'nginx:1.27', ready: true, started: true, restartCount: 0})
    expect(c.containerID).toMatch(/^sim:\/\/[0-9a-f]+$/)
    expect(c.state.running.startedAt).toMatch(RFC3339_SECONDS)
  })

  it('reports ContainerCreating before Running, as watch events', async () => {
    const name = uniqueName('web')
    const created = await mustCreate(k, POD_PATH('default'), pod(name))
    const w = await k.watch(`${POD_PATH('default')}?watch=true&resourceVersion=${created.metadata.resourceVersion}&fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`)
    try {
      const events = await w.collect((e) => e.object.status?.phase === 'Running')
      const waiting = events.find((e) => e.object.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating')
      expect(waiting, 'an event with the container waiting in ContainerCreating').toBeDefined()
      expect(waiting!.object.status.phase).toBe('Pending')
      expect(events.every((e) => e.type === 'MODIFIED')).toBe(true)
    } finally {
      w.close()
    }
  })

  it('leaves a pod with scheduling gates unbound until the gates are removed', async () => {
    const name = uniqueName('gated')
    await mustCreate(k, POD_PATH('default'), pod(name, {}, {schedulingGates: [{name: 'example.com/wait'}]}))
    await new Promise((r) => setTimeout(r, 500))
    const waiting = await k.request('GET', POD_PATH('default', name))
    expect(waiting.json.spec.nodeName).toBeUndefined()
    expect(waiting.json.status?.phase ?? 'Pending').toBe('Pending')

    const released = await k.request('PATCH', POD_PATH('default', name), {body: {spec: {schedulingGates: null}}, contentType: MERGE})
    expect(released.status, released.text).toBe(200)
    await eventually(async () => {
      const r = await k.request('GET', POD_PATH('default', name))
      return r.json.spec.nodeName === NODE_NAME && r.json.status?.phase === 'Running'
    }, `pod ${name} to run once ungated`)
  })
})

describe('node', () => {
  it('registers the Node as Ready with addresses, capacity and node info', async () => {
    const r = await k.request('GET', `/api/v1/nodes/${NODE_NAME}`)
    expect(r.status).toBe(200)
    const node = r.json
    expect(node.metadata.labels).toMatchObject({'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux'})
    expect(condition(node, 'Ready')).toMatchObject({status: 'True', reason: 'KubeletReady'})
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) expect(condition(node, type)?.status, type).toBe('False')
    expect(node.status.addresses).toContainEqual({type: 'InternalIP', address: '127.0.0.1'})
    expect(node.status.capacity).toMatchObject({pods: '110'})
    expect(node.status.allocatable.cpu).toMatch(/^\d+$/)
    expect(node.status.nodeInfo).toMatchObject({operatingSystem: 'linux', containerRuntimeVersion: expect.stringMatching(/^sim:\/\//)})
    expect(node.status.nodeInfo.kubeletVersion).toMatch(/^v1\.32\./)
  })

  it('holds a Lease in kube-node-lease and keeps renewing it', async () => {
    const first = await k.request('GET', LEASE_PATH)
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', spec: {holderIdentity: NODE_NAME, leaseDurationSeconds: 40}})
    // MicroTime: microsecond precision.
    expect(first.json.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    const renewed = await eventually(async () => {
      const r = await k.request('GET', LEASE_PATH)
      return Date.parse(r.json.spec.renewTime) > Date.parse(first.json.spec.renewTime) ? r.json : undefined
    }, 'the lease to be renewed', 5_000)
    expect(Number(renewed.metadata.resourceVersion)).toBeGreaterThan(Number(first.json.metadata.resourceVersion))
    expect(Math.abs(Date.parse(renewed.spec.renewTime) - Date.now())).toBeLessThan(5_000)
  })
})
