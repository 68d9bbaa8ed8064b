// Deployments end to end on the simulated runtime: ReplicaSets, rollouts, history, pause, Recreate.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'

const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments'
const RSS = '/apis/apps/v1/namespaces/default/replicasets'

interface Rs {
  metadata: {name: string; annotations?: Record<string, string>; labels?: Record<string, string>}
  spec: {replicas: number; template: {spec: {containers: Array<{image: string}>}}}
  status?: {replicas?: number; availableReplicas?: number}
}
interface Deploy {
  metadata: {generation: number; annotations?: Record<string, string>}
  spec: {replicas: number}
  status?: {observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: Array<{type: string; status: string; reason: string}>}
}

function deployment(name: string, replicas = 3, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name},
    spec: {
      replicas,
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'c', image: 'img:1'}]}},
      ...extra,
    },
  }
}

describe('deployment controller', () => {
  let k: TestCluster
  beforeAll(async () => {
    k = await startTestCluster({simStartDelayMs: 20})
  })
  afterAll(async () => k?.stop())

  const get = async (name: string) => (await k.request('GET', `${DEPLOYS}/${name}`)).json as Deploy
  const replicaSets = async (name: string) => ((await k.request('GET', `${RSS}?labelSelector=app%3D${name}`)).json as {items: Rs[]}).items
  const complete = (name: string, replicas: number) =>
    eventually(async () => {
      const d = await get(name)
      const s = d.status
      return (
        s?.observedGeneration === d.metadata.generation &&
        (s.updatedReplicas ?? 0) === replicas &&
        (s.replicas ?? 0) === replicas &&
        (s.availableReplicas ?? 0) === replicas &&
        s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable')
      )
    }, `deployment ${name} complete with ${replicas}`, 20_000)

  it('creates a ReplicaSet with pod-template-hash and reaches all replicas Available', async () => {
    const name = uniqueName('web')
    expect((await k.request('POST', DEPLOYS, {body: deployment(name)})).status).toBe(201)
    await complete(name, 3)
    const [rs] = await replicaSets(name)
    expect(rs.metadata.name).toMatch(new RegExp(`^${name}-[bcdfghjklmnpqrstvwxz2456789]+$`))
    expect(rs.metadata.labels?.['pod-template-hash']).toBe(rs.metadata.name.slice(name.length + 1))
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1')
    const d = await get(name)
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1')
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True')
  })

  it('rolls out a new template with maxSurge 1 / maxUnavailable 0 without dropping below 3 available', async () => {
    const name = uniqueName('roll')
    await k.request('POST', DEPLOYS, {body: deployment(name, 3, {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}})})
    await complete(name, 3)
    const patched = await k.request('PATCH', `${DEPLOYS}/${name}`, {
      body: {metadata: {annotations: {'kubernetes.io/change-cause': 'image img:2'}}, spec: {template: {spec: {containers: [{name: 'c', image: 'img:2'}]}}}},
      contentType: 'application/strategic-merge-patch+json',
    })
    const rv = (patched.json as {metadata: {resourceVersion: string}}).metadata.resourceVersion
    const watch = await k.watch(`${DEPLOYS}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3D${name}`)
    // Follow every status the controller writes until the rollout completes: with maxUnavailable 0 the
    // available count never drops below 3 once the new generation is observed.
    let minAvailable = Infinity
    let seen = 0
    for (;;) {
      const e = (await watch.next(20_000)) as unknown as {object: Deploy}
      const d = e.object
      const s = d.status
      if (s?.observedGeneration !== d.metadata.generation) continue
      seen++
      minAvailable = Math.min(minAvailable, s.availableReplicas ?? 0)
      if ((s.updatedReplicas ?? 0) === 3 && (s.replicas ?? 0) === 3 && (s.availableReplicas ?? 0) === 3 && s.conditions?.some((c) => c.reason === 'NewReplicaSetAvailable')) break
    }
    watch.close()
    expect(seen).toBeGreaterThan(1)
    expect(minAvailable).toBe(3)
    const sets = await replicaSets(name)
    expect(sets).toHaveLength(2)
    const byRevision = Object.fromEntries(sets.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs]))
    expect(byRevision['2'].spec.template.spec.containers[0].image).toBe('img:2')
    expect(byRevision['2'].metadata.annotations?.['kubernetes.io/change-cause']).toBe('image img:2')
    expect(byRevision['1'].spec.replicas).toBe(0)
  })

  it('scales up and down through the scale subresource', async () => {
    const name = uniqueName('scale')
    await k.request('POST', DEPLOYS, {body: deployment(name, 2)})
    await complete(name, 2)
    await k.request('PATCH', `${DEPLOYS}/${name}/scale`, {body: {spec: {replicas: 5}}, contentType: 'application/merge-patch+json'})
    await complete(name, 5)
    await k.request('PATCH', `${DEPLOYS}/${name}/scale`, {body: {spec: {replicas: 1}}, contentType: 'application/merge-patch+json'})
    await complete(name, 1)
  })

  it('Recreate scales the old ReplicaSet to zero before the new one starts', async () => {
    const name = uniqueName('recreate')
    await k.request('POST', DEPLOYS, {body: deployment(name, 2, {strategy: {type: 'Recreate'}})})
    await complete(name, 2)
    await k.request('PATCH', `${DEPLOYS}/${name}`, {body: {spec: {template: {spec: {containers: [{name: 'c', image: 'img:9'}]}}}}, contentType: 'application/strategic-merge-patch+json'})
    await complete(name, 2)
    const sets = await replicaSets(name)
    expect(sets.map((rs) => rs.spec.replicas).sort()).toEqual([0, 2])
  })

  it('a paused Deployment does not roll out until resumed', async () => {
    const name = uniqueName('paused')
    await k.request('POST', DEPLOYS, {body: deployment(name, 1)})
    await complete(name, 1)
    await k.request('PATCH', `${DEPLOYS}/${name}`, {body: {spec: {paused: true}}, contentType: 'application/merge-patch+json'})
    await k.request('PATCH', `${DEPLOYS}/${name}`, {body: {spec: {template: {spec: {containers: [{name: 'c', image: 'img:3'}]}}}}, contentType: 'application/strategic-merge-patch+json'})
    await eventually(async () => (await get(name)).status?.conditions?.some((c) => c.reason === 'DeploymentPaused'), 'paused condition')
    expect(await replicaSets(name)).toHaveLength(1)
    await k.request('PATCH', `${DEPLOYS}/${name}`, {body: {spec: {paused: false}}, contentType: 'application/merge-patch+json'})
    await complete(name, 1)
    expect(await replicaSets(name)).toHaveLength(2)
  })
})
