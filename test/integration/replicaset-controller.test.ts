// The ReplicaSet controller against a whole in-process control plane on the simulated runtime:
// everything is observed the way a client sees it, through the API.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {mustCreate, pod, POD_PATH} from './objects.js'

const MERGE = 'application/merge-patch+json'
const RS_PATH = (name = '') => `/apis/apps/v1/namespaces/default/replicasets${name ? `/${name}` : ''}`

interface PodLike {
  metadata: {name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string; ownerReferences?: Array<{uid: string; controller?: boolean}>}
  status?: {phase?: string}
}

function replicaSet(name: string, replicas: number, minReadySeconds = 0) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {name},
    spec: {
      replicas,
      ...(minReadySeconds ? {minReadySeconds} : {}),
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}},
    },
  }
}

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster()
})
afterAll(async () => {
  await k?.stop()
})

const getRS = async (name: string) => {
  const r = await k.request('GET', RS_PATH(name))
  return r.status === 404 ? undefined : r.json
}
const podsOf = async (app: string): Promise<PodLike[]> => (await k.request('GET', `${POD_PATH('default')}?labelSelector=app%3D${app}`)).json.items
const livePods = async (app: string) => (await podsOf(app)).filter((p) => !p.metadata.deletionTimestamp)
const runningPods = async (app: string) => (await livePods(app)).filter((p) => p.status?.phase === 'Running')
const scale = (name: string, replicas: number) => k.request('PATCH', `${RS_PATH(name)}/scale`, {body: {spec: {replicas}}, contentType: MERGE})

async function rsWithReadyPods(name: string, replicas: number) {
  const rs = await mustCreate(k, RS_PATH(), replicaSet(name, replicas))
  await eventually(async () => (await getRS(name))?.status?.availableReplicas === replicas, `${replicas} available replicas of ${name}`)
  return rs
}

describe('ReplicaSet controller', () => {
  it('runs the desired pods and reports them ready and available in status', async () => {
    const name = uniqueName('rs')
    const rs = await rsWithReadyPods(name, 3)
    const pods = await runningPods(name)
    expect(pods).toHaveLength(3)
    for (const p of pods) {
      expect(p.metadata.name.startsWith(`${name}-`)).toBe(true)
      expect(p.metadata.ownerReferences).toEqual([{apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true}])
    }
    expect((await getRS(name)).status).toEqual({replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1})
  })

  it('records a SuccessfulCreate event on the ReplicaSet for each pod it creates', async () => {
    const name = uniqueName('events')
    await rsWithReadyPods(name, 2)
    const pods = new Set((await livePods(name)).map((p) => p.metadata.name))
    const events = await eventually(async () => {
      const items = (await k.request('GET', '/api/v1/namespaces/default/events')).json.items as Array<{reason: string; message: string; involvedObject: {kind: string; name: string}; source?: {component?: string}}>
      const mine = items.filter((e) => e.involvedObject.kind === 'ReplicaSet' && e.involvedObject.name === name && e.reason === 'SuccessfulCreate')
      return mine.length === 2 && mine
    }, 'two SuccessfulCreate events')
    for (const e of events) {
      expect(pods.has(e.message.replace('Created pod: ', ''))).toBe(true)
      expect(e.source?.component).toBe('replicaset-controller')
    }
  })

  it('scales up, then down deleting the newest pods first, with observedGeneration following generation', async () => {
    const name = uniqueName('scale')
    await rsWithReadyPods(name, 3)
    const originals = new Set((await livePods(name)).map((p) => p.metadata.uid))
    // Ready times far enough apart (relative to their age) to fall in different log2 buckets.
    await new Promise((r) => setTimeout(r, 2100))
    expect((await scale(name, 5)).status).toBe(200)
    await eventually(async () => (await getRS(name))?.status?.availableReplicas === 5, '5 available')
    expect((await runningPods(name)).length).toBe(5)
    expect((await scale(name, 1)).status).toBe(200)
    const rs = await eventually(async () => {
      const current = await getRS(name)
      return current?.status?.replicas === 1 && current.status.observedGeneration === current.metadata.generation && current
    }, 'scaled down to 1')
    expect(rs.metadata.generation).toBe(3)
    const survivors = await livePods(name)
    expect(survivors).toHaveLength(1)
    expect(originals.has(survivors[0].metadata.uid)).toBe(true)
  })

  it('replaces a deleted pod', async () => {
    const name = uniqueName('replace')
    await rsWithReadyPods(name, 2)
    const [victim] = await livePods(name)
    expect((await k.request('DELETE', POD_PATH('default', victim.metadata.name))).status).toBe(200)
    await eventually(async () => {
      const pods = await runningPods(name)
      return pods.length === 2 && pods.every((p) => p.metadata.uid !== victim.metadata.uid)
    }, 'a replacement pod running')
    await eventually(async () => (await getRS(name))?.status?.availableReplicas === 2, 'status back to 2 available')
  })

  it('adopts a matching orphan pod and counts it toward the replicas', async () => {
    const name = uniqueName('adopt')
    const orphan = await mustCreate(k, POD_PATH('default'), pod(`${name}-orphan`, {labels: {app: name}}))
    const rs = await mustCreate(k, RS_PATH(), replicaSet(name, 2))
    await eventually(async () => (await getRS(name))?.status?.availableReplicas === 2, '2 available')
    const pods = await livePods(name)
    expect(pods).toHaveLength(2)
    const adopted = pods.find((p) => p.metadata.uid === orphan.metadata.uid)
    expect(adopted?.metadata.ownerReferences?.[0]).toMatchObject({uid: rs.metadata.uid, controller: true})
  })

  it('releases a pod relabelled out of its selector and replaces it', async () => {
    const name = uniqueName('release')
    await rsWithReadyPods(name, 2)
    const [moved] = await livePods(name)
    const r = await k.request('PATCH', POD_PATH('default', moved.metadata.name), {body: {metadata: {labels: {app: `${name}-debug`}}}, contentType: MERGE})
    expect(r.status).toBe(200)
    await eventually(async () => {
      const released = (await k.request('GET', POD_PATH('default', moved.metadata.name))).json as PodLike
      return !released.metadata.ownerReferences
    }, 'pod released')
    await eventually(async () => (await runningPods(name)).length === 2, 'replacement running')
  })

  it('lets the garbage collector remove its pods after a background delete', async () => {
    const name = uniqueName('gc')
    await rsWithReadyPods(name, 2)
    expect((await k.request('DELETE', RS_PATH(name), {body: {propagationPolicy: 'Background'}})).status).toBe(200)
    await eventually(async () => !(await getRS(name)) && (await podsOf(name)).length === 0, 'ReplicaSet and its pods gone')
  })

  it('reports ready pods as available only after minReadySeconds', async () => {
    const name = uniqueName('minready')
    await mustCreate(k, RS_PATH(), replicaSet(name, 1, 3))
    const ready = await eventually(async () => {
      const rs = await getRS(name)
      return rs?.status?.readyReplicas === 1 && rs
    }, 'ready replica')
    expect(ready.status.availableReplicas).toBeUndefined()
    // Nothing else changes: only the controller's own timer can make the pod available.
    await eventually(async () => (await getRS(name))?.status?.availableReplicas === 1, 'available after minReadySeconds', 10_000)
  })
})
