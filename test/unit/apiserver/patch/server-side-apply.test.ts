import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {FieldSet} from '../../../../src/cluster/apiserver/patch/field-set.js'
import {fieldElement, keyElement, type FieldPath} from '../../../../src/cluster/apiserver/patch/field-path.js'
import {updateManagedFields, type ManagedFieldsEntry} from '../../../../src/cluster/apiserver/patch/managed-fields.js'
import {serverSideApply} from '../../../../src/cluster/apiserver/patch/server-side-apply.js'

const T0 = new Date('2026-11-22T08:04:30.123Z')
const T1 = new Date('2026-11-22T08:05:00Z')
const T2 = new Date('2026-11-22T08:06:00Z')
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

type Obj = KubeObject & {spec?: any; status?: any}

function deployment(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', namespace: 'default', labels: {app: 'web'}, ...metadata},
    spec: {
      replicas: 2,
      template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.25', ports: [{containerPort: 80}]}]}},
      ...spec,
    },
  }
}

function apply(live: Obj | undefined, applied: Obj, manager = 'kubectl', options: {force?: boolean; now?: Date; subresource?: string} = {}): Obj {
  return serverSideApply({
    live,
    applied,
    manager,
    force: options.force ?? false,
    apiVersion: applied.apiVersion ?? 'apps/v1',
    now: options.now ?? T0,
    subresource: options.subresource,
  }) as Obj
}

/** What a store would hold after a non-apply write (create when `old` is undefined). */
function write(old: Obj | undefined, updated: Obj, manager: string, now = T0): Obj {
  const managedFields = updateManagedFields({old, updated, manager, apiVersion: updated.apiVersion ?? 'apps/v1', now})
  return {...updated, metadata: {...updated.metadata, managedFields}}
}

function entry(obj: Obj, manager: string, operation = 'Apply'): ManagedFieldsEntry | undefined {
  return obj.metadata.managedFields?.find((e) => e.manager === manager && e.operation === operation)
}

function owned(obj: Obj, manager: string, operation = 'Apply'): FieldSet {
  const e = entry(obj, manager, operation)
  return e ? FieldSet.fromFieldsV1(e.fieldsV1) : new FieldSet()
}

const f = (...names: string[]): FieldPath => names.map(fieldElement)
const REPLICAS = f('spec', 'replicas')

function thrown(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error('expected an ApiError')
}

describe('serverSideApply on a new object', () => {
  it('records exactly the applied fields, in the FieldsV1 shape of the real server', () => {
    const out = apply(undefined, deployment())
    expect(out.metadata.managedFields).toEqual([
      {manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-11-22T08:04:30Z', fieldsType: 'FieldsV1', fieldsV1: expect.any(Object)},
    ])
    // Byte for byte the example of compat doc 6.5 (the port key carries the defaulted protocol).
    expect(JSON.stringify(out.metadata.managedFields![0].fieldsV1)).toBe(
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
    )
    expect(out.spec).toEqual(deployment().spec)
    expect(out.metadata.annotations).toBeUndefined()
  })

  it('never owns identity fields, and owns status only through the status subresource', () => {
    const applied = deployment({}, {uid: 'u1', resourceVersion: '7'})
    applied.status = {replicas: 9}
    const main = owned(apply(undefined, applied), 'kubectl')
    for (const path of [f('apiVersion'), f('kind'), f('metadata', 'name'), f('metadata', 'namespace'), f('metadata', 'uid'), f('metadata', 'resourceVersion')]) {
      expect(main.has(path)).toBe(false)
    }
    expect(main.child(fieldElement('status')).isEmpty()).toBe(true)

    const statusOnly = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default'}, status: {replicas: 9}}
    const viaStatus = apply(apply(undefined, deployment()), statusOnly, 'kcm', {subresource: 'status'})
    const statusEntry = viaStatus.metadata.managedFields!.find((e) => e.manager === 'kcm')!
    expect(statusEntry.subresource).toBe('status')
    expect(statusEntry.fieldsV1).toEqual({'f:status': {'f:replicas': {}}})
  })
})

describe('serverSideApply on an existing object', () => {
  it('leaves object and managedFields untouched when the same configuration is applied again later', () => {
    const first = apply(undefined, deployment())
    const again = apply(first, deployment(), 'kubectl', {now: T2})
    expect(again).toEqual(first)
    expect(again.metadata.managedFields![0].time).toBe('2026-11-22T08:04:30Z')
  })

  it('moves the timestamp when the applied configuration changes the object', () => {
    const first = apply(undefined, deployment())
    const changed = apply(first, deployment({replicas: 3}), 'kubectl', {now: T2})
    expect(changed.spec.replicas).toBe(3)
    expect(entry(changed, 'kubectl')!.time).toBe('2026-11-22T08:06:00Z')
  })

  it('removes fields the applier applied before and omits now', () => {
    const first = apply(undefined, deployment({}, {labels: {app: 'web', tier: 'front'}}))
    const withEnv = apply(first, deployment({template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.25', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}], ports: [{containerPort: 80}, {containerPort: 443}]}]}}}))
    const trimmed = apply(withEnv, deployment({template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.26', env: [{name: 'A', value: '1'}], ports: [{containerPort: 80}]}]}}}))
    expect(trimmed.metadata.labels).toEqual({app: 'web'})
    expect(trimmed.spec.template.spec.containers).toEqual([{name: 'nginx', image: 'nginx:1.26', env: [{name: 'A', value: '1'}], ports: [{containerPort: 80}]}])
    expect(owned(trimmed, 'kubectl').toFieldsV1()).toEqual(owned(apply(undefined, deployment({template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.26', env: [{name: 'A', value: '1'}], ports: [{containerPort: 80}]}]}}})), 'kubectl').toFieldsV1())
  })

  it('keeps a dropped field that another manager also owns, and removes the one only it owned', () => {
    const first = apply(undefined, deployment({}, {labels: {app: 'web', tier: 'front'}}))
    const labelled = write(first, deployment({}, {labels: {app: 'web', tier: 'front', team: 'a'}, managedFields: first.metadata.managedFields}), 'kubectl-label')
    const shared = apply(labelled, deployment({}, {labels: {app: 'web', tier: 'front', team: 'a'}}))
    const dropped = apply(shared, deployment())
    expect(dropped.metadata.labels).toEqual({app: 'web', team: 'a'})
    expect(owned(dropped, 'kubectl-label', 'Update').toFieldsV1()).toEqual({'f:metadata': {'f:labels': {'f:team': {}}}})
  })

  it('merges containers by name, ports by containerPort and protocol, and keeps items other managers added', () => {
    const first = apply(undefined, deployment())
    const live = structuredClone(first)
    // Defaulting filled the protocol in; another writer added a sidecar and a UDP port.
    live.spec.template.spec.containers = [
      {name: 'nginx', image: 'nginx:1.25', ports: [{containerPort: 80, protocol: 'TCP'}, {containerPort: 53, protocol: 'UDP'}]},
      {name: 'sidecar', image: 'busybox'},
    ]
    const updated = write(first, live, 'kubectl-edit')
    const out = apply(updated, deployment({template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.26', ports: [{containerPort: 80}, {containerPort: 8080}]}]}}}))
    expect(out.spec.template.spec.containers).toEqual([
      {name: 'nginx', image: 'nginx:1.26', ports: [{containerPort: 80, protocol: 'TCP'}, {containerPort: 53, protocol: 'UDP'}, {containerPort: 8080}]},
      {name: 'sidecar', image: 'busybox'},
    ])
    const portKey = keyElement({containerPort: 8080, protocol: 'TCP'})
    expect(owned(out, 'kubectl').has([...f('spec', 'template', 'spec', 'containers'), keyElement({name: 'nginx'}), fieldElement('ports'), portKey])).toBe(true)
  })

  it('unions sets and replaces atomic lists', () => {
    const base = deployment({}, {finalizers: ['a']})
    base.spec.template.spec.containers[0].args = ['--one', '--two']
    const first = apply(undefined, base)
    const live = write(first, {...structuredClone(first), metadata: {...first.metadata, finalizers: ['a', 'b']}}, 'other')
    const next = deployment({}, {finalizers: ['c']})
    next.spec.template.spec.containers[0].args = ['--three']
    const out = apply(live, next)
    expect(out.metadata.finalizers).toEqual(['b', 'c'])
    expect(out.spec.template.spec.containers[0].args).toEqual(['--three'])
  })
})

describe('serverSideApply conflicts', () => {
  const createdByCsa = (): Obj => write(undefined, deployment({replicas: 3}), 'kubectl-client-side-apply')

  it('refuses to change a field another manager owns, with the real message and causes', () => {
    const err = thrown(() => apply(createdByCsa(), deployment({replicas: 5})))
    expect(err.code).toBe(409)
    expect(err.reason).toBe('Conflict')
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas')
    expect(err.details).toEqual({causes: [{reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas'}]})
  })

  it('lists several conflicts grouped by manager', () => {
    const err = thrown(() =>
      apply(createdByCsa(), deployment({replicas: 5, template: {spec: {containers: [{name: 'nginx', image: 'nginx:2', ports: [{containerPort: 80}]}]}}})),
    )
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    )
    expect(err.details?.causes?.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image'])
  })

  it('names an Apply manager without a version', () => {
    const mine = apply(undefined, deployment(), 'me')
    expect(thrown(() => apply(mine, deployment({replicas: 4}), 'you')).message).toBe('Apply failed with 1 conflict: conflict with "me": .spec.replicas')
  })

  it('shares ownership instead of conflicting when the applied value is the same', () => {
    const out = apply(createdByCsa(), deployment({replicas: 3}))
    expect(owned(out, 'kubectl').has(REPLICAS)).toBe(true)
    expect(owned(out, 'kubectl-client-side-apply', 'Update').has(REPLICAS)).toBe(true)
  })

  it('takes ownership away from the other manager when forced', () => {
    const out = apply(createdByCsa(), deployment({replicas: 5}), 'kubectl', {force: true})
    expect(out.spec.replicas).toBe(5)
    expect(owned(out, 'kubectl').has(REPLICAS)).toBe(true)
    expect(owned(out, 'kubectl-client-side-apply', 'Update').has(REPLICAS)).toBe(false)
    expect(owned(out, 'kubectl-client-side-apply', 'Update').has(f('spec', 'template', 'spec', 'containers'))).toBe(false)
  })

  it('drops the entry of a manager that loses its last field', () => {
    const mine = apply(undefined, deployment(), 'me')
    const scaled = write(mine, {...structuredClone(mine), spec: {...mine.spec, replicas: 7}}, 'kubectl-scale')
    expect(owned(scaled, 'kubectl-scale', 'Update').toFieldsV1()).toEqual({'f:spec': {'f:replicas': {}}})
    const out = apply(scaled, deployment({replicas: 1}), 'me', {force: true})
    expect(out.metadata.managedFields!.map((e) => e.manager)).toEqual(['me'])
  })
})

describe('serverSideApply after client-side apply (kubectl migration)', () => {
  // What `kubectl apply` (client-side) stores on create: the manifest plus its last-applied annotation.
  function csaCreate(manifest: Obj): Obj {
    const annotated = structuredClone(manifest)
    annotated.metadata.annotations = {[LAST_APPLIED]: `${JSON.stringify({...manifest, metadata: {...manifest.metadata, annotations: {}}})}\n`}
    return write(undefined, annotated, 'kubectl-client-side-apply')
  }

  const ownersOfAnnotation = (obj: Obj, operation: string): string[] =>
    (obj.metadata.managedFields ?? [])
      .filter((e) => e.operation === operation && FieldSet.fromFieldsV1(e.fieldsV1).has(f('metadata', 'annotations', LAST_APPLIED)))
      .map((e) => e.manager!)

  // csaupgrade.UpgradeManagedFieldsPatch: fold the client-side apply entries into kubectl's Apply entry.
  function migrationPatch(obj: Obj): ManagedFieldsEntry[] {
    const entries = obj.metadata.managedFields!
    const csa = entries.filter((e) => e.operation === 'Update' && ownersOfAnnotation(obj, 'Update').includes(e.manager!))
    const kubectl = entries.find((e) => e.manager === 'kubectl' && e.operation === 'Apply')!
    const union = csa.reduce((s, e) => s.union(FieldSet.fromFieldsV1(e.fieldsV1)), FieldSet.fromFieldsV1(kubectl.fieldsV1))
    return entries.filter((e) => !csa.includes(e)).map((e) => (e === kubectl ? {...e, fieldsV1: union.toFieldsV1()} : e))
  }

  it('ends in a state where another apply needs neither the annotation save nor a migration', () => {
    const csa = csaCreate(deployment())
    const ssa = apply(csa, deployment(), 'kubectl', {now: T1})
    // The server rewrites the annotation to the applied configuration; ownership of it does not move.
    expect(ssa.metadata.annotations![LAST_APPLIED]).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"template":{"spec":{"containers":[{"image":"nginx:1.25","name":"nginx","ports":[{"containerPort":80}]}]}}}}\n',
    )
    expect(ownersOfAnnotation(ssa, 'Apply')).toEqual([])
    expect(ownersOfAnnotation(ssa, 'Update')).toEqual(['kubectl-client-side-apply'])

    // kubectl step (a): re-apply just the annotation as kubectl-last-applied.
    const saved = apply(ssa, {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default', annotations: {[LAST_APPLIED]: ssa.metadata.annotations![LAST_APPLIED]}}}, 'kubectl-last-applied', {now: T1})
    expect(ownersOfAnnotation(saved, 'Apply')).toEqual(['kubectl-last-applied'])

    // kubectl step (b): the JSON patch replacing managedFields; the server keeps the list exactly as sent.
    const requested = migrationPatch(saved)
    const migrated = write(saved, {...saved, metadata: {...saved.metadata, managedFields: requested}}, 'kubectl', T2)
    expect(migrated.metadata.managedFields).toEqual(requested)
    expect(ownersOfAnnotation(migrated, 'Update')).toEqual([])

    // kubectl re-sends the apply; afterwards nothing triggers either step again, and applying is a no-op.
    const final = apply(migrated, deployment(), 'kubectl', {now: T2})
    expect(ownersOfAnnotation(final, 'Apply').length).toBeGreaterThan(0)
    expect(ownersOfAnnotation(final, 'Update')).toEqual([])
    expect(final.metadata.managedFields!.map((e) => `${e.manager}/${e.operation}/${e.time}`)).toEqual([
      'kubectl-last-applied/Apply/2026-11-22T08:05:00Z',
      'kubectl/Apply/2026-11-22T08:06:00Z',
    ])
    expect(apply(final, deployment(), 'kubectl', {now: new Date('2026-11-22T09:00:00Z')})).toEqual(final)
  })

  it('lets kubectl take over fields the annotation still describes, even with a new value', () => {
    const out = apply(csaCreate(deployment()), deployment({replicas: 4}))
    expect(out.spec.replicas).toBe(4)
    expect(owned(out, 'kubectl-client-side-apply', 'Update').has(REPLICAS)).toBe(false)
  })

  it('still conflicts when the live value drifted from the annotation, or for other managers', () => {
    const csa = csaCreate(deployment())
    const scaled = write(csa, {...structuredClone(csa), spec: {...csa.spec, replicas: 7}}, 'kubectl-scale')
    expect(thrown(() => apply(scaled, deployment({replicas: 4}))).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
    )
    expect(thrown(() => apply(csa, deployment({replicas: 4}), 'someone')).code).toBe(409)
  })
})

describe('serverSideApply request checks', () => {
  it('rejects a configuration of another version or kind', () => {
    const err = thrown(() => serverSideApply({live: undefined, applied: deployment(), manager: 'kubectl', force: false, apiVersion: 'apps/v2', now: T0}))
    expect([err.code, err.message]).toEqual([400, 'invalid object type: apps/v1, Kind=Deployment'])
    const cm = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'x'}}
    expect(thrown(() => serverSideApply({live: undefined, applied: cm, manager: 'm', force: false, apiVersion: 'v1', kind: 'ConfigMap', now: T0})).message).toBe(
      'invalid object type: /v1, Kind=Secret',
    )
  })

  it('rejects managedFields in the configuration', () => {
    const err = thrown(() => apply(undefined, deployment({}, {managedFields: []})))
    expect([err.code, err.message]).toEqual([400, 'metadata.managedFields must be nil'])
  })

  it('rejects list items without their key and duplicate keys', () => {
    const noName = deployment({template: {spec: {containers: [{name: 'nginx', env: [{value: '1'}]}]}}})
    expect(thrown(() => apply(undefined, noName)).message).toBe(
      'failed to create typed patch object (apps/v1, Kind=Deployment default/web): .spec.template.spec.containers[name="nginx"].env: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    )
    const twice = deployment({template: {spec: {containers: [{name: 'a'}, {name: 'a'}]}}})
    expect(thrown(() => apply(undefined, twice)).message).toContain('.spec.template.spec.containers: duplicate entries for key [name="a"]')
  })

  it('applies a ConfigMap the way the ssa_new/ssa_change captures exercise it', () => {
    const cm = (b: string): Obj => ({apiVersion: 'v1', kind: 'ConfigMap', data: {a: '1', b}, metadata: {name: 'cfg', namespace: 'default'}})
    const created = apply(undefined, cm('2'))
    const changed = apply(created, cm('3'), 'kubectl', {now: T1})
    expect(changed.data).toEqual({a: '1', b: '3'})
    expect(changed.metadata.managedFields).toEqual([
      {manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2026-11-22T08:05:00Z', fieldsType: 'FieldsV1', fieldsV1: {'f:data': {'f:a': {}, 'f:b': {}}}},
    ])
  })
})
