// The autoscaling/v1 Scale subresource as `kubectl scale` uses it (kubectl-compat.md section 1.6):
// GET, a merge PATCH, a PUT without Content-Type, and optimistic concurrency on PUT.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {DEPLOY_PATH, deployment, mustCreate} from './objects.js'

const MERGE = 'application/merge-patch+json'
const scalePath = (name: string) => `${DEPLOY_PATH('default', name)}/scale`

let k: TestCluster
beforeAll(async () => {
  // API semantics of Deployments, with no controller writing their status meanwhile.
  k = await startTestCluster({disableControllers: ['deployment', 'replicaset-controller']})
})
afterAll(async () => {
  await k?.stop()
})

describe('scale subresource', () => {
  it('serves a Scale with the parent metadata, spec.replicas and the selector as a string', async () => {
    const name = uniqueName('web')
    const d = await mustCreate(k, DEPLOY_PATH('default'), deployment(name, 3))
    const r = await k.request('GET', scalePath(name))
    expect(r.status).toBe(200)
    expect(r.json).toEqual({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {name, namespace: 'default', uid: d.metadata.uid, resourceVersion: d.metadata.resourceVersion, creationTimestamp: d.metadata.creationTimestamp},
      spec: {replicas: 3},
      status: {replicas: 0, selector: `app=${name}`},
    })
  })

  it('applies a merge PATCH to spec.replicas of the parent, bumping its generation', async () => {
    const name = uniqueName('web')
    await mustCreate(k, DEPLOY_PATH('default'), deployment(name, 1))
    const r = await k.request('PATCH', scalePath(name), {body: {spec: {replicas: 5}}, contentType: MERGE, headers: {'User-Agent': 'kubectl/v1.32.4 (linux/amd64) kubernetes/abc'}})
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({kind: 'Scale', spec: {replicas: 5}})
    const parent = await k.request('GET', DEPLOY_PATH('default', name))
    expect(parent.json.spec.replicas).toBe(5)
    expect(parent.json.metadata.generation).toBe(2)
    expect(r.json.metadata.resourceVersion).toBe(parent.json.metadata.resourceVersion)
  })

  it('accepts a PUT without Content-Type carrying the current resourceVersion', async () => {
    const name = uniqueName('web')
    await mustCreate(k, DEPLOY_PATH('default'), deployment(name, 1))
    const current = (await k.request('GET', scalePath(name))).json
    const r = await k.request('PUT', scalePath(name), {body: {...current, spec: {replicas: 4}}, contentType: null})
    expect(r.status).toBe(200)
    expect(r.json.spec.replicas).toBe(4)
    expect((await k.request('GET', DEPLOY_PATH('default', name))).json.spec.replicas).toBe(4)
  })

  it('refuses a PUT with a stale resourceVersion with 409 Conflict and leaves the parent alone', async () => {
    const name = uniqueName('web')
    await mustCreate(k, DEPLOY_PATH('default'), deployment(name, 1))
    const stale = (await k.request('GET', scalePath(name))).json
    expect((await k.request('PATCH', DEPLOY_PATH('default', name), {body: {metadata: {labels: {bump: '1'}}}, contentType: MERGE})).status).toBe(200)
    const r = await k.request('PUT', scalePath(name), {body: {...stale, spec: {replicas: 9}}, contentType: null})
    expect(r.status).toBe(409)
    expect(r.json).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    })
    expect((await k.request('GET', DEPLOY_PATH('default', name))).json.spec.replicas).toBe(1)
  })

  it('refuses negative replicas with 422 Invalid on Scale.autoscaling', async () => {
    const name = uniqueName('web')
    await mustCreate(k, DEPLOY_PATH('default'), deployment(name, 1))
    const r = await k.request('PATCH', scalePath(name), {body: {spec: {replicas: -1}}, contentType: MERGE})
    expect(r.status).toBe(422)
    expect(r.json).toMatchObject({
      reason: 'Invalid',
      message: `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`,
    })
    expect((await k.request('GET', DEPLOY_PATH('default', name))).json.spec.replicas).toBe(1)
  })

  it('answers the scale of a missing deployment with 404', async () => {
    const r = await k.request('GET', scalePath('no-such-deploy'))
    expect(r.status).toBe(404)
    expect(r.json.message).toBe('deployments.apps "no-such-deploy" not found')
  })

  it('scales a ReplicaSet the same way', async () => {
    const name = uniqueName('rs')
    const rs = {...deployment(name, 2), kind: 'ReplicaSet'}
    await mustCreate(k, `/apis/apps/v1/namespaces/default/replicasets`, rs)
    const r = await k.request('PATCH', `/apis/apps/v1/namespaces/default/replicasets/${name}/scale`, {body: {spec: {replicas: 0}}, contentType: MERGE})
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({kind: 'Scale', spec: {replicas: 0}, status: {selector: `app=${name}`}})
  })
})
