// `kubectl apply --server-side` at the HTTP level (kubectl-compat.md sections 3 and 6.5): create by
// apply, no-op re-apply, field ownership conflicts and force, and the request-option checks.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {DEPLOY_PATH, deployment, mustCreate, rv} from './objects.js'

const APPLY = 'application/apply-patch+yaml'
const MERGE = 'application/merge-patch+json'

let k: TestCluster
beforeAll(async () => {
  // API semantics of Deployments, with no controller writing their status meanwhile.
  k = await startTestCluster({disableControllers: ['deployment', 'replicaset-controller']})
})
afterAll(async () => {
  await k?.stop()
})

function apply(name: string, body: unknown, manager: string | null = 'kubectl', force = false) {
  const q = new URLSearchParams({fieldValidation: 'Strict', force: String(force)})
  if (manager !== null) q.set('fieldManager', manager)
  return k.request('PATCH', `${DEPLOY_PATH('default', name)}?${q}`, {body, contentType: APPLY})
}

const managers = (obj: any) => (obj.metadata.managedFields ?? []) as Array<{manager: string; operation: string; apiVersion: string; fieldsType: string; fieldsV1: any; time: string}>
const ownsReplicas = (entry: {fieldsV1: any}) => Boolean(entry.fieldsV1?.['f:spec']?.['f:replicas'])

describe('server-side apply', () => {
  it('creates a missing object with 201 and records an Apply manager', async () => {
    const name = uniqueName('web')
    const r = await apply(name, deployment(name, 2))
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({kind: 'Deployment', metadata: {name, namespace: 'default', generation: 1}, spec: {replicas: 2}})
    const entry = managers(r.json).find((m) => m.manager === 'kubectl')
    expect(entry).toMatchObject({operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1'})
    expect(ownsReplicas(entry!)).toBe(true)
    expect(entry!.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']).toBeDefined()
    expect((await k.request('GET', DEPLOY_PATH('default', name))).status).toBe(200)
  })

  it('accepts a YAML body', async () => {
    const name = uniqueName('web')
    const yaml = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  replicas: 1',
      '  selector: {matchLabels: {app: yaml-app}}',
      '  template:',
      '    metadata: {labels: {app: yaml-app}}',
      '    spec:',
      '      containers: [{name: c, image: nginx}]',
      '',
    ].join('\n')
    const r = await apply(name, yaml)
    expect(r.status, r.text).toBe(201)
    expect(r.json.spec.template.spec.containers[0]).toMatchObject({name: 'c', image: 'nginx'})
  })

  it('keeps the resourceVersion when the same configuration is applied again', async () => {
    const name = uniqueName('web')
    const first = await apply(name, deployment(name, 2))
    const again = await apply(name, deployment(name, 2))
    expect(again.status).toBe(200)
    expect(again.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion)
    expect(again.json.metadata.generation).toBe(1)
  })

  it('changes the object and bumps generation when the applied configuration changes', async () => {
    const name = uniqueName('web')
    const first = await apply(name, deployment(name, 2))
    const changed = await apply(name, deployment(name, 4))
    expect(changed.status).toBe(200)
    expect(changed.json.spec.replicas).toBe(4)
    expect(rv(changed.json)).toBeGreaterThan(rv(first.json))
    expect(changed.json.metadata.generation).toBe(2)
  })

  it('removes a field the manager stops applying', async () => {
    const name = uniqueName('web')
    const withLabel = deployment(name, 1)
    withLabel.metadata.labels = {app: name, extra: 'yes'} as typeof withLabel.metadata.labels
    await apply(name, withLabel)
    const r = await apply(name, deployment(name, 1))
    expect(r.status).toBe(200)
    expect(r.json.metadata.labels).toEqual({app: name})
  })

  it('refuses to take a field an Update manager set to another value with 409 and the exact message', async () => {
    const name = uniqueName('web')
    await mustCreate(k, `${DEPLOY_PATH('default')}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`, deployment(name, 1))
    const r = await apply(name, deployment(name, 3))
    expect(r.status).toBe(409)
    expect(r.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    })
    expect(r.json.details.causes).toEqual([{reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas'}])
    expect((await k.request('GET', DEPLOY_PATH('default', name))).json.spec.replicas).toBe(1)
  })

  it('refuses a conflict between two appliers, naming the other Apply manager', async () => {
    const name = uniqueName('web')
    expect((await apply(name, deployment(name, 2), 'team-a')).status).toBe(201)
    const r = await apply(name, {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name}, spec: {replicas: 5}}, 'team-b')
    expect(r.status).toBe(409)
    expect(r.json.message).toBe('Apply failed with 1 conflict: conflict with "team-a": .spec.replicas')
    expect(r.json.details.causes).toEqual([{reason: 'FieldManagerConflict', message: 'conflict with "team-a"', field: '.spec.replicas'}])
  })

  it('lets force=true take ownership of the conflicting field', async () => {
    const name = uniqueName('web')
    await apply(name, deployment(name, 2), 'team-a')
    const r = await apply(name, {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name}, spec: {replicas: 5}}, 'team-b', true)
    expect(r.status).toBe(200)
    expect(r.json.spec.replicas).toBe(5)
    const a = managers(r.json).find((m) => m.manager === 'team-a')!
    const b = managers(r.json).find((m) => m.manager === 'team-b')!
    expect(ownsReplicas(b)).toBe(true)
    expect(ownsReplicas(a)).toBe(false)
    // team-a keeps what nobody took from it.
    expect(a.fieldsV1['f:spec']['f:template']).toBeDefined()
  })

  it('shares a field when both managers apply the same value', async () => {
    const name = uniqueName('web')
    await apply(name, deployment(name, 2), 'team-a')
    const r = await apply(name, {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name}, spec: {replicas: 2}}, 'team-b')
    expect(r.status).toBe(200)
    expect(managers(r.json).filter(ownsReplicas).map((m) => m.manager).sort()).toEqual(['team-a', 'team-b'])
  })

  it('records a merge PATCH as an Update manager owning only what it changed', async () => {
    const name = uniqueName('web')
    await apply(name, deployment(name, 2))
    const r = await k.request('PATCH', `${DEPLOY_PATH('default', name)}?fieldManager=kubectl-edit`, {body: {spec: {replicas: 6}}, contentType: MERGE})
    expect(r.status).toBe(200)
    const edit = managers(r.json).find((m) => m.manager === 'kubectl-edit')!
    expect(edit).toMatchObject({operation: 'Update', apiVersion: 'apps/v1'})
    expect(edit.fieldsV1).toEqual({'f:spec': {'f:replicas': {}}})
    expect(ownsReplicas(managers(r.json).find((m) => m.manager === 'kubectl')!)).toBe(false)
  })

  it('refuses an apply carrying a stale resourceVersion with 409', async () => {
    const name = uniqueName('web')
    const first = await apply(name, deployment(name, 1))
    await apply(name, deployment(name, 2))
    const stale = deployment(name, 3) as ReturnType<typeof deployment> & {metadata: {resourceVersion?: string}}
    stale.metadata.resourceVersion = first.json.metadata.resourceVersion
    const r = await apply(name, stale)
    expect(r.status).toBe(409)
    expect(r.json.reason).toBe('Conflict')
  })

  it('refuses an apply whose body names another object with 400', async () => {
    const name = uniqueName('web')
    const r = await apply(name, deployment('someone-else', 1))
    expect(r.status).toBe(400)
    expect(r.json.reason).toBe('BadRequest')
    expect((await k.request('GET', DEPLOY_PATH('default', name))).status).toBe(404)
  })

  // kubectl-compat.md 6.5 says 400, but the real server validates PatchOptions first
  // (apiserver validation.ValidatePatchOptions -> errors.NewInvalid on meta.k8s.io PatchOptions): 422.
  it('refuses an apply without fieldManager with the 422 PatchOptions Status', async () => {
    const name = uniqueName('web')
    const r = await apply(name, deployment(name, 1), null)
    expect(r.status).toBe(422)
    expect(r.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: {group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager'}]},
    })
    expect((await k.request('GET', DEPLOY_PATH('default', name))).status).toBe(404)
  })
})
