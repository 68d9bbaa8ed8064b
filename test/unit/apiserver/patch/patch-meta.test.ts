import {describe, expect, it} from 'vitest'
import {childSchema, fieldNames, genericObjectSchema, itemSchema, schemaFor, schemaForKindName, UNKNOWN, type SchemaNode} from '../../../../src/cluster/apiserver/patch/patch-meta.js'

/** Follows a path of field names; `[]` steps into list elements. */
function nodeAt(root: SchemaNode, path: string): SchemaNode {
  return path.split('.').reduce((node, step) => (step === '[]' ? itemSchema(node) : childSchema(node, step)), root)
}

const ROOTS: Array<[string, string]> = [
  ['', 'Pod'], ['', 'Service'], ['', 'Endpoints'], ['', 'Node'], ['', 'Namespace'], ['', 'ConfigMap'], ['', 'Secret'],
  ['', 'ServiceAccount'], ['', 'Event'], ['apps', 'Deployment'], ['apps', 'ReplicaSet'], ['coordination.k8s.io', 'Lease'],
  ['apps', 'StatefulSet'], ['apps', 'DaemonSet'], ['batch', 'Job'], ['batch', 'CronJob'], ['autoscaling', 'Scale'],
]
const deployment = schemaFor({group: 'apps', kind: 'Deployment'})!
const pod = schemaFor({group: '', kind: 'Pod'})!
const service = schemaFor({group: '', kind: 'Service'})!
const node = schemaFor({group: '', kind: 'Node'})!
const job = schemaFor({group: 'batch', kind: 'Job'})!
const cronJob = schemaFor({group: 'batch', kind: 'CronJob'})!

describe('patch metadata', () => {
  it.each(ROOTS)('has a root for %s/%s', (group, kind) => {
    expect(schemaFor({group, kind})).toMatchObject({kind: 'struct', typeName: kind})
  })

  it.each([['example.com', 'Widget'], ['', 'Deployment'], ['apps', 'Pod']])('has no root for %s/%s', (group, kind) => {
    expect(schemaFor({group, kind})).toBeUndefined()
  })

  const lists: Array<[string, SchemaNode, string, Partial<SchemaNode>]> = [
    ['Deployment', deployment, 'spec.template.spec.containers', {patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name']}],
    ['Deployment', deployment, 'spec.template.spec.containers.[].ports', {patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol']}],
    ['Deployment', deployment, 'spec.template.spec.containers.[].env', {patchStrategy: 'merge', patchMergeKey: 'name', listMapKeys: ['name']}],
    ['Deployment', deployment, 'spec.template.spec.volumes', {patchStrategy: 'merge', patchMergeKey: 'name', retainKeys: true}],
    ['Deployment', deployment, 'spec.template.spec.containers.[].args', {listType: 'atomic'}],
    ['Deployment', deployment, 'status.conditions', {patchMergeKey: 'type', listMapKeys: ['type']}],
    ['Pod', pod, 'spec.initContainers.[].volumeMounts', {patchMergeKey: 'mountPath', listMapKeys: ['mountPath']}],
    ['Pod', pod, 'spec.topologySpreadConstraints', {patchMergeKey: 'topologyKey', listMapKeys: ['topologyKey', 'whenUnsatisfiable']}],
    ['Pod', pod, 'spec.tolerations', {listType: 'atomic'}],
    ['Pod', pod, 'status.podIPs', {patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip']}],
    ['Pod', pod, 'status.hostIPs', {patchMergeKey: 'ip', listType: 'atomic'}],
    ['Pod', pod, 'metadata.finalizers', {patchStrategy: 'merge', listType: 'set'}],
    ['Pod', pod, 'metadata.ownerReferences', {patchMergeKey: 'uid', listMapKeys: ['uid']}],
    ['Service', service, 'spec.ports', {patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol']}],
    ['Service', service, 'spec.externalIPs', {listType: 'atomic'}],
    ['Node', node, 'status.addresses', {patchMergeKey: 'type', listType: 'atomic'}],
    ['Node', node, 'spec.podCIDRs', {patchStrategy: 'merge', listType: 'set'}],
    ['Pod', pod, 'spec.containers.[].resources.claims', {listType: 'map', listMapKeys: ['name']}],
    ['Job', job, 'status.conditions', {patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic'}],
    ['CronJob', cronJob, 'spec.jobTemplate.spec.template.spec.containers', {patchMergeKey: 'name', listMapKeys: ['name']}],
  ]

  it.each(lists)('%s %s carries its list metadata', (_, root, path, expected) => {
    expect(nodeAt(root, path)).toMatchObject({kind: 'list', ...expected})
  })

  it('resolves the same field name to different merge keys by context', () => {
    expect(nodeAt(pod, 'spec.containers.[].ports').patchMergeKey).toBe('containerPort')
    expect(nodeAt(service, 'spec.ports').patchMergeKey).toBe('port')
  })

  it('marks DeploymentSpec.strategy as retainKeys', () => {
    expect(nodeAt(deployment, 'spec.strategy')).toMatchObject({kind: 'struct', retainKeys: true})
  })

  it('describes label maps and atomic selector maps', () => {
    expect(nodeAt(pod, 'metadata.labels')).toMatchObject({kind: 'map'})
    expect(nodeAt(pod, 'metadata.labels.app')).toMatchObject({kind: 'scalar'})
    expect(nodeAt(service, 'spec.selector')).toMatchObject({kind: 'map', atomic: true})
  })

  it('marks atomic structs for server-side apply', () => {
    expect(nodeAt(deployment, 'spec.selector').atomic).toBe(true)
    expect(nodeAt(pod, 'metadata.ownerReferences.[]').atomic).toBe(true)
    expect(nodeAt(pod, 'spec.containers.[].env.[].valueFrom.secretKeyRef').atomic).toBe(true)
  })

  it('keeps ResourceRequirements.claims atomic for SMP but keyed for SSA', () => {
    expect(nodeAt(pod, 'spec.containers.[].resources.claims').patchStrategy).toBeUndefined()
  })

  it('marks selector maps atomic for server-side apply', () => {
    expect(nodeAt(pod, 'spec.nodeSelector')).toMatchObject({kind: 'map', atomic: true})
    expect(nodeAt(pod, 'metadata.annotations').atomic).toBeUndefined()
  })

  it('records the TCP default of port protocols, which keys ports that omit it', () => {
    expect(nodeAt(pod, 'spec.containers.[].ports.[].protocol').default).toBe('TCP')
    expect(nodeAt(service, 'spec.ports.[].protocol').default).toBe('TCP')
    expect(nodeAt(pod, 'spec.containers.[].env.[].name').default).toBeUndefined()
  })

  it('records which fields a typed empty object serializes', () => {
    expect(nodeAt(deployment, 'metadata').typedZero).toBe('object')
    expect(nodeAt(deployment, 'spec.strategy').typedZero).toBe('object')
    expect(nodeAt(deployment, 'spec.selector').typedZero).toBe('null')
    expect(nodeAt(job, 'spec.selector').typedZero).toBeUndefined()
    expect(nodeAt(pod, 'spec.containers').typedZero).toBe('null')
    expect(nodeAt(pod, 'spec.affinity').typedZero).toBeUndefined()
  })

  it('finds built-in kinds by name alone, as server-side apply names them', () => {
    for (const [group, kind] of ROOTS) expect(schemaForKindName(kind)).toEqual(schemaFor({group, kind}))
    expect(schemaForKindName('Widget')).toBeUndefined()
  })

  it('gives kinds without metadata a root that knows only ObjectMeta', () => {
    const generic = genericObjectSchema()
    expect(fieldNames(generic)).toEqual(['metadata'])
    expect(nodeAt(generic, 'metadata.finalizers')).toMatchObject({kind: 'list', listType: 'set'})
    expect(nodeAt(generic, 'spec')).toBe(UNKNOWN)
  })

  it('answers UNKNOWN for fields it has no metadata for', () => {
    expect(nodeAt(pod, 'spec.nosuchfield')).toBe(UNKNOWN)
    expect(nodeAt(pod, 'spec.nosuchfield.deeper')).toBe(UNKNOWN)
    expect(itemSchema(nodeAt(pod, 'spec.nodeName'))).toBe(UNKNOWN)
    expect(childSchema(pod, 'constructor')).toBe(UNKNOWN)
  })

  it('records consistent list metadata everywhere in the table', () => {
    const problems: string[] = []
    const seen = new Set<string>()
    const walk = (struct: SchemaNode, path: string, depth: number) => {
      if (depth > 12 || seen.has(struct.typeName!)) return
      seen.add(struct.typeName!)
      for (const field of fieldNames(struct)) {
        const child = childSchema(struct, field)
        const where = `${path}.${field}`
        if (child.kind === 'list') {
          const items = itemSchema(child)
          if (child.patchStrategy === 'merge' && items.kind === 'struct' && !child.patchMergeKey) problems.push(`${where}: merge list of objects without merge key`)
          if (child.listType === 'map' && !child.listMapKeys?.length) problems.push(`${where}: listType map without keys`)
          if (child.listType === 'map' && child.patchMergeKey && !child.listMapKeys!.includes(child.patchMergeKey)) problems.push(`${where}: merge key not a list-map key`)
          if (items.kind === 'struct') walk(items, `${where}[]`, depth + 1)
        } else if (child.kind === 'struct') {
          walk(child, where, depth + 1)
        }
      }
    }
    for (const [group, kind] of ROOTS) walk(schemaFor({group, kind})!, kind, 0)

    expect(problems).toEqual([])
    expect(seen.size).toBeGreaterThan(20)
  })
})
