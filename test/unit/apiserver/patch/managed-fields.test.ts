import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {fieldElement, keyElement, pathToString, valueElement, type FieldPath} from '../../../../src/cluster/apiserver/patch/field-path.js'
import {FieldSet} from '../../../../src/cluster/apiserver/patch/field-set.js'
import {fieldSetOf} from '../../../../src/cluster/apiserver/patch/field-set-of.js'
import {listKeysFor} from '../../../../src/cluster/apiserver/patch/list-keys.js'
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  updateManagedFields,
  type ManagedFieldsEntry,
} from '../../../../src/cluster/apiserver/patch/managed-fields.js'

const T0 = new Date('2026-11-22T08:00:00Z')
const T1 = new Date('2026-11-22T08:01:00Z')
const f = (...names: string[]): FieldPath => names.map(fieldElement)

type Obj = KubeObject & {spec?: any; data?: any}

function pod(labels: Record<string, string> = {app: 'web'}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', creationTimestamp: '2026-11-22T08:00:00Z', labels},
    spec: {containers: [{name: 'app', image: 'nginx', ports: [{containerPort: 80, protocol: 'TCP'}]}]},
    status: {phase: 'Pending'},
  }
}

function write(old: Obj | undefined, updated: Obj, manager: string, now = T0, subresource?: string): Obj {
  const managedFields = updateManagedFields({old, updated, manager, apiVersion: 'v1', now, subresource})
  return {...updated, metadata: {...updated.metadata, managedFields}}
}

const fieldsOf = (obj: Obj, manager: string): Record<string, unknown> | undefined =>
  obj.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1 as Record<string, unknown> | undefined

describe('FieldSet', () => {
  it('round-trips FieldsV1 with "." first and elements in the real sort order', () => {
    const set = FieldSet.of(
      f('spec', 'ports'),
      [...f('spec', 'ports'), keyElement({protocol: 'TCP', port: 443})],
      [...f('spec', 'ports'), keyElement({port: 80, protocol: 'TCP'}), fieldElement('port')],
      [...f('metadata', 'finalizers'), valueElement('b')],
      [...f('metadata', 'finalizers'), valueElement('a')],
    )
    const json = set.toFieldsV1()
    expect(JSON.stringify(json)).toBe(
      '{"f:metadata":{"f:finalizers":{"v:\\"a\\"":{},"v:\\"b\\"":{}}},"f:spec":{"f:ports":{".":{},"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{"f:port":{}},"k:{\\"port\\":443,\\"protocol\\":\\"TCP\\"}":{}}}}',
    )
    expect(FieldSet.fromFieldsV1(json).equals(set)).toBe(true)
  })

  it('escapes key values the way Go does', () => {
    expect(Object.keys(FieldSet.of([keyElement({name: 'a&b<c>'})]).toFieldsV1())).toEqual(['k:{"name":"a\\u0026b\\u003cc\\u003e"}'])
  })

  it('tells union, intersection, difference and recursive difference apart', () => {
    const a = FieldSet.of(f('spec', 'replicas'), f('spec', 'template', 'spec'), f('metadata', 'labels', 'app'))
    const b = FieldSet.of(f('spec', 'replicas'), f('spec', 'template'), f('metadata', 'labels', 'tier'))
    expect(a.union(b).paths().map(pathToString)).toEqual([
      '.metadata.labels.app',
      '.metadata.labels.tier',
      '.spec.replicas',
      '.spec.template',
      '.spec.template.spec',
    ])
    expect(a.intersection(b).paths().map(pathToString)).toEqual(['.spec.replicas'])
    expect(a.difference(b).paths().map(pathToString)).toEqual(['.metadata.labels.app', '.spec.template.spec'])
    expect(a.recursiveDifference(b).paths().map(pathToString)).toEqual(['.metadata.labels.app'])
  })

  it('keys list items with defaulted key fields and rejects unkeyable ones', () => {
    const keys = listKeysFor('Service')
    const svc = {apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec: {ports: [{port: 80}], selector: {app: 'web'}}}
    expect(fieldSetOf(svc, keys).toFieldsV1()).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': {'f:name': {}},
      // ServiceSpec.selector is +mapType=atomic: owned whole, as real Services' managedFields show.
      'f:spec': {'f:ports': {'k:{"port":80,"protocol":"TCP"}': {'.': {}, 'f:port': {}}}, 'f:selector': {}},
    })
    expect(() => fieldSetOf({kind: 'Service', metadata: {}, spec: {ports: [{name: 'x'}]}}, keys)).toThrow(/omits key field "port"/)
  })
})

describe('updateManagedFields', () => {
  it('gives the creator every field it set, except identity fields and status', () => {
    const created = write(undefined, pod(), 'kubectl-run')
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-run',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-11-22T08:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {'f:labels': {'.': {}, 'f:app': {}}},
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {'.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}, 'f:protocol': {}}},
              },
            },
          },
        },
      },
    ])
  })

  it('gives a label writer just the label it added and moves a changed label to it', () => {
    const created = write(undefined, pod({app: 'web', tier: 'a'}), 'kubectl-run')
    const labelled = write(created, {...pod({app: 'web', tier: 'b', team: 'x'}), metadata: {...pod({app: 'web', tier: 'b', team: 'x'}).metadata, managedFields: created.metadata.managedFields}}, 'kubectl-label', T1)
    expect(fieldsOf(labelled, 'kubectl-label')).toEqual({'f:metadata': {'f:labels': {'f:team': {}, 'f:tier': {}}}})
    expect((fieldsOf(labelled, 'kubectl-run') as any)['f:metadata']).toEqual({'f:labels': {'.': {}, 'f:app': {}}})
  })

  it('drops removed fields from every set and drops entries left empty', () => {
    const created = write(undefined, pod({app: 'web'}), 'kubectl-run')
    const labelled = write(created, pod({app: 'web', team: 'x'}), 'kubectl-label', T1)
    const unlabelled = write(labelled, pod({app: 'web'}), 'kubectl-label', T1)
    expect(unlabelled.metadata.managedFields!.map((e) => e.manager)).toEqual(['kubectl-run'])
  })

  it('leaves managedFields untouched by a write that changes nothing', () => {
    const created = write(undefined, pod(), 'kubectl-run')
    expect(write(created, pod(), 'kubectl-edit', T1).metadata.managedFields).toEqual(created.metadata.managedFields)
  })

  it('grows the same manager entry and moves its time when it writes again', () => {
    const created = write(undefined, pod({app: 'web'}), 'kubectl-label')
    const again = write(created, pod({app: 'web', team: 'x'}), 'kubectl-label', T1)
    expect(again.metadata.managedFields).toHaveLength(1)
    expect(again.metadata.managedFields![0].time).toBe('2026-11-22T08:01:00Z')
    expect((fieldsOf(again, 'kubectl-label') as any)['f:metadata']).toEqual({'f:labels': {'.': {}, 'f:app': {}, 'f:team': {}}})
  })

  it('tracks status writes as a separate entry with their subresource', () => {
    const created = write(undefined, pod(), 'kubectl-run')
    const running = write(created, {...pod(), status: {phase: 'Running'}}, 'kubelet', T1, 'status')
    expect(running.metadata.managedFields!.map((e) => [e.manager, e.subresource])).toEqual([
      ['kubectl-run', undefined],
      ['kubelet', 'status'],
    ])
    expect(fieldsOf(running, 'kubelet')).toEqual({'f:status': {'f:phase': {}}})
  })

  it('takes managedFields from the request when it sets a valid list, as the SSA migration needs', () => {
    const created = write(undefined, pod(), 'kubectl-run')
    const replaced: ManagedFieldsEntry[] = [
      {manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {'f:metadata': {'f:labels': {'f:app': {}}}}},
    ]
    const migrated = write(created, {...pod(), metadata: {...pod().metadata, managedFields: replaced}}, 'kubectl', T1)
    expect(migrated.metadata.managedFields).toEqual(replaced)
  })

  it('resets on [{}], ignores an invalid or empty list, and ignores the request on subresources', () => {
    const created = write(undefined, pod(), 'kubectl-run')
    const withMf = (managedFields: unknown): Obj => ({...pod(), metadata: {...pod().metadata, managedFields: managedFields as ManagedFieldsEntry[]}})
    expect(write(created, withMf([{}]), 'x', T1).metadata.managedFields).toEqual([])
    expect(write(created, withMf([]), 'x', T1).metadata.managedFields).toEqual(created.metadata.managedFields)
    expect(write(created, withMf([{manager: 'x', operation: 'Bogus'}]), 'x', T1).metadata.managedFields).toEqual(created.metadata.managedFields)
    const replaced = [{manager: 'm', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {'f:spec': {}}}]
    expect(write(created, withMf(replaced), 'x', T1, 'status').metadata.managedFields).toEqual(created.metadata.managedFields)
  })
})

describe('encoding managedFields', () => {
  const entry = (manager: string, operation: 'Apply' | 'Update', time: string): ManagedFieldsEntry => ({
    manager,
    operation,
    apiVersion: 'v1',
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: {'f:data': {[`f:${manager}`]: {}}},
  })

  it('orders Apply entries first, then by time and manager, and keeps unchanged fieldsV1 verbatim', () => {
    const odd = {...entry('z', 'Update', '2026-01-01T00:00:00Z'), fieldsV1: {'f:data': {'f:b': {}, 'f:a': {}}}}
    const managed = decodeManagedFields([entry('b', 'Update', '2026-01-02T00:00:00Z'), odd, entry('c', 'Apply', '2026-01-03T00:00:00Z')])
    const out = encodeManagedFields(managed)
    expect(out.map((e) => e.manager)).toEqual(['c', 'z', 'b'])
    expect(Object.keys(out[1].fieldsV1 as object)).toEqual(['f:data'])
    expect(Object.keys((out[1].fieldsV1 as any)['f:data'])).toEqual(['f:b', 'f:a'])
  })

  it('folds the oldest of more than ten Update entries into ancient-changes', () => {
    const entries = Array.from({length: 12}, (_, i) => entry(`m${String(i).padStart(2, '0')}`, 'Update', `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`))
    const managed = decodeManagedFields(entries)
    capUpdateManagers(managed)
    const out = encodeManagedFields(managed)
    expect(out).toHaveLength(10)
    expect(out[0]).toMatchObject({manager: 'ancient-changes', time: '2026-01-01T00:00:02Z', fieldsV1: {'f:data': {'f:m00': {}, 'f:m01': {}, 'f:m02': {}}}})
    expect(out.slice(1).map((e) => e.manager)).toEqual(['m03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11'])
  })
})
