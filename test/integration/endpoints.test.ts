// Endpoints and EndpointSlices of a Service with a selector, through the API: they list the ready
// pods (and the not-ready ones apart), follow readiness changes and pod deletions, and go with the
// Service. Pods on a second, agent-less Node get their status written by the test, which stands in
// for that node's kubelet; pods on the cluster's own node are run by the simulated runtime.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, NODE_NAME, startTestCluster, TABLE_ACCEPT, uniqueName, type TestCluster} from './harness.js'
import {mustCreate, NS_PATH, POD_PATH} from './objects.js'

const MERGE = 'application/merge-patch+json'
const FAKE_NODE = 'kubelet-by-test'
const SVC_PATH = (ns: string, name = '') => `/api/v1/namespaces/${ns}/services${name ? `/${name}` : ''}`
const EP_PATH = (ns: string, name: string) => `/api/v1/namespaces/${ns}/endpoints/${name}`
const SLICES_PATH = (ns: string) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`

interface Address {
  ip: string
  nodeName?: string
  targetRef?: {kind: string; name: string; namespace: string; uid: string}
}
interface Subset {
  addresses?: Address[]
  notReadyAddresses?: Address[]
  ports?: Array<{name?: string; port: number; protocol: string}>
}
interface SliceEndpoint {
  addresses: string[]
  conditions: {ready: boolean; serving: boolean; terminating: boolean}
  nodeName?: string
  targetRef: {name: string}
}

let k: TestCluster
let ns: string
beforeAll(async () => {
  k = await startTestCluster()
  ns = uniqueName('ep')
  await mustCreate(k, NS_PATH(), {apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}})
  await mustCreate(k, '/api/v1/nodes', {apiVersion: 'v1', kind: 'Node', metadata: {name: FAKE_NODE}})
})
afterAll(async () => {
  await k?.stop()
})

const podManifest = (name: string, app: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, labels: {app}},
  spec: {containers: [{name: 'web', image: 'nginx:1.27', ports: [{name: 'http', containerPort: 8080}]}], ...spec},
})

async function createService(name: string, app: string): Promise<any> {
  return mustCreate(k, SVC_PATH(ns), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name, labels: {tier: 'front'}},
    spec: {selector: {app}, ports: [{name: 'web', port: 80, targetPort: 'http'}]},
  })
}

/** Status as the fake node's kubelet would report it. */
async function reportStatus(name: string, ip: string, ready: boolean): Promise<void> {
  const status = {phase: 'Running', podIP: ip, podIPs: [{ip}], conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}]}
  const r = await k.request('PATCH', `${POD_PATH(ns, name)}/status`, {body: {status}, contentType: MERGE})
  expect(r.status, r.text).toBe(200)
}

const endpoints = async (name: string): Promise<{status: number; json: any}> => k.request('GET', EP_PATH(ns, name))
const subsets = async (name: string): Promise<Subset[]> => (await endpoints(name)).json?.subsets ?? []
const readyIPs = (s: Subset[]) => s.flatMap((x) => (x.addresses ?? []).map((a) => a.ip)).sort()
const notReadyIPs = (s: Subset[]) => s.flatMap((x) => (x.notReadyAddresses ?? []).map((a) => a.ip)).sort()
const slices = async (svc: string): Promise<any[]> =>
  (await k.request('GET', `${SLICES_PATH(ns)}?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${svc}`)}`)).json.items
const sliceEndpoints = async (svc: string): Promise<SliceEndpoint[]> => (await slices(svc)).flatMap((s) => s.endpoints ?? [])
const sameList = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort())

async function runningIP(name: string): Promise<string> {
  return eventually(async () => {
    const p = (await k.request('GET', POD_PATH(ns, name))).json
    const ready = p?.status?.conditions?.some((c: {type: string; status: string}) => c.type === 'Ready' && c.status === 'True')
    return ready ? (p.status.podIP as string) : undefined
  }, `pod ${name} Running and Ready`)
}

describe('Endpoints and EndpointSlices', () => {
  it('track the ready pods of a Service, list not-ready ones apart, follow readiness and go with the Service', async () => {
    const app = uniqueName('app')
    const svc = await createService('web', app)
    await mustCreate(k, POD_PATH(ns), podManifest('ready-1', app))
    await mustCreate(k, POD_PATH(ns), podManifest('ready-2', app))
    // Bound to a node that does not exist: it never gets an IP and is never listed.
    await mustCreate(k, POD_PATH(ns), podManifest('nowhere', app, {nodeName: 'no-such-node'}))
    await mustCreate(k, POD_PATH(ns), podManifest('remote', app, {nodeName: FAKE_NODE}))
    await mustCreate(k, POD_PATH(ns), podManifest('unrelated', uniqueName('other')))
    const ip1 = await runningIP('ready-1')
    const ip2 = await runningIP('ready-2')
    const remoteIP = '10.250.0.7'
    await reportStatus('remote', remoteIP, false)

    const ready = await eventually(async () => {
      const s = await subsets('web')
      return sameList(readyIPs(s), [ip1, ip2]) && sameList(notReadyIPs(s), [remoteIP]) ? s : undefined
    }, 'Endpoints with two ready and one not-ready address')
    expect(ready.every((s) => JSON.stringify(s.ports) === JSON.stringify([{name: 'web', port: 8080, protocol: 'TCP'}]))).toBe(true)
    const first = ready.flatMap((s) => s.addresses ?? []).find((a) => a.ip === ip1)!
    expect(first.nodeName).toBe(NODE_NAME)
    expect(first.targetRef).toMatchObject({kind: 'Pod', namespace: ns, name: 'ready-1'})
    const ep = (await endpoints('web')).json
    expect(ep.metadata.labels).toEqual({tier: 'front', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller'})
    expect(ep.metadata.ownerReferences).toBeUndefined()

    const conditions = await eventually(async () => {
      const eps = await sliceEndpoints('web')
      return eps.length === 3 ? Object.fromEntries(eps.map((e) => [e.targetRef.name, e.conditions])) : undefined
    }, 'slices with three endpoints')
    expect(conditions).toEqual({
      'ready-1': {ready: true, serving: true, terminating: false},
      'ready-2': {ready: true, serving: true, terminating: false},
      remote: {ready: false, serving: false, terminating: false},
    })
    const [slice] = await slices('web')
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/)
    expect(slice.metadata.labels).toMatchObject({'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', tier: 'front'})
    expect(slice.metadata.ownerReferences).toEqual([{apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true}])
    expect(slice.addressType).toBe('IPv4')
    expect(slice.ports).toEqual([{name: 'web', port: 8080, protocol: 'TCP'}])

    // The remote pod becomes ready, then the first pod goes away.
    await reportStatus('remote', remoteIP, true)
    await eventually(async () => {
      const s = await subsets('web')
      return sameList(readyIPs(s), [ip1, ip2, remoteIP]) && notReadyIPs(s).length === 0
    }, 'the remote pod moving to addresses')
    await eventually(async () => (await sliceEndpoints('web')).find((e) => e.targetRef.name === 'remote')?.conditions.ready === true, 'the remote endpoint ready')
    expect((await k.request('DELETE', POD_PATH(ns, 'ready-1'))).status).toBe(200)
    await eventually(async () => sameList(readyIPs(await subsets('web')), [ip2, remoteIP]), 'the deleted pod leaving the Endpoints')
    await eventually(async () => !(await sliceEndpoints('web')).some((e) => e.targetRef.name === 'ready-1'), 'the deleted pod leaving the slices')

    // A not-ready report takes it back out of addresses.
    await reportStatus('remote', remoteIP, false)
    await eventually(async () => sameList(notReadyIPs(await subsets('web')), [remoteIP]), 'the remote pod back in notReadyAddresses')

    expect((await k.request('DELETE', SVC_PATH(ns, 'web'))).status).toBe(200)
    await eventually(async () => (await endpoints('web')).status === 404, 'Endpoints deleted with the Service')
    await eventually(async () => (await slices('web')).length === 0, 'slices collected with the Service')
  })

  it('keeps an empty placeholder slice and an Endpoints without subsets for a Service with no pods', async () => {
    await createService('empty', uniqueName('none'))
    const ep = await eventually(async () => {
      const r = await endpoints('empty')
      return r.status === 200 ? r.json : undefined
    }, 'Endpoints of the empty Service')
    expect(ep.subsets).toBeUndefined()
    const [slice] = await eventually(async () => {
      const s = await slices('empty')
      return s.length === 1 ? s : undefined
    }, 'the placeholder slice')
    expect(slice.endpoints).toBeNull()
    expect(slice.ports).toBeNull()
    const table = await k.request('GET', SLICES_PATH(ns), {accept: TABLE_ACCEPT})
    expect(table.json.columnDefinitions.map((c: {name: string}) => c.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'])
    const row = table.json.rows.find((r: {cells: unknown[]}) => r.cells[0] === slice.metadata.name)
    expect(row.cells.slice(1, 4)).toEqual(['IPv4', '<unset>', '<unset>'])
  })

  it('re-creates Endpoints and slices that someone deletes', async () => {
    const app = uniqueName('app')
    await createService('again', app)
    await mustCreate(k, POD_PATH(ns), podManifest('again-1', app))
    const ip = await runningIP('again-1')
    await eventually(async () => sameList(readyIPs(await subsets('again')), [ip]), 'Endpoints of the Service')
    const [slice] = await eventually(async () => {
      const s = await slices('again')
      return s.length === 1 && s[0].endpoints?.length === 1 ? s : undefined
    }, 'a slice of the Service')
    expect((await k.request('DELETE', EP_PATH(ns, 'again'))).status).toBe(200)
    expect((await k.request('DELETE', `${SLICES_PATH(ns)}/${slice.metadata.name}`)).status).toBe(200)
    await eventually(async () => sameList(readyIPs(await subsets('again')), [ip]), 'Endpoints written again')
    await eventually(async () => {
      const s = await slices('again')
      return s.length === 1 && s[0].metadata.name !== slice.metadata.name && s[0].endpoints?.[0]?.addresses?.[0] === ip
    }, 'a new slice written')
  })
})
