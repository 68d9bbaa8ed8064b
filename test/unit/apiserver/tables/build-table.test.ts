import {describe, expect, it} from 'vitest'
import {RESOURCES} from '../../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {buildTable, parseIncludeObject, tablePrinterFor} from '../../../../src/cluster/apiserver/tables/index.js'

const NOW = new Date('2026-11-22T08:03:37Z')
const WEB_POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '1007', labels: {app: 'web'}, creationTimestamp: '2026-11-22T08:03:32Z'},
  spec: {nodeName: 'kcluster-node', containers: [{name: 'web', image: 'nginx:1.25'}]},
  status: {phase: 'Running', podIP: '10.244.0.7', podIPs: [{ip: '10.244.0.7'}], containerStatuses: [{name: 'web', image: 'nginx:1.25', imageID: '', ready: true, restartCount: 0, state: {running: {}}}]},
}

const baseOpts = {now: NOW, includeObject: 'Metadata' as const, resourceVersion: '1008', includeColumns: true}

describe('buildTable', () => {
  it('produces the meta.k8s.io/v1 Table kubectl expects for `get pods`', () => {
    const table = buildTable(tablePrinterFor({group: '', kind: 'Pod'}), [WEB_POD], baseOpts)
    expect(Object.keys(table)).toEqual(['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows'])
    expect(table.kind).toBe('Table')
    expect(table.apiVersion).toBe('meta.k8s.io/v1')
    expect(table.metadata).toEqual({resourceVersion: '1008'})
    expect(table.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ])
    expect(table.rows).toEqual([
      {
        cells: ['web', '1/1', 'Running', '0', '5s', '10.244.0.7', 'kcluster-node', '<none>', '<none>'],
        object: {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: WEB_POD.metadata},
      },
    ])
    expect(JSON.parse(JSON.stringify(table))).toEqual(table)
  })

  it('omits columnDefinitions for watch events after the first and carries continue tokens', () => {
    const table = buildTable(tablePrinterFor({group: '', kind: 'Pod'}), [WEB_POD], {...baseOpts, includeColumns: false, continue: 'abc'})
    expect('columnDefinitions' in table).toBe(false)
    expect(table.metadata).toEqual({resourceVersion: '1008', continue: 'abc'})
  })

  it('embeds the full object for includeObject=Object and nothing for None', () => {
    const bare = {...WEB_POD, apiVersion: undefined, kind: undefined}
    delete bare.apiVersion
    delete bare.kind
    const full = buildTable(tablePrinterFor({group: '', kind: 'Pod'}), [bare], {...baseOpts, includeObject: 'Object', objectType: {apiVersion: 'v1', kind: 'Pod'}})
    expect(full.rows[0].object).toEqual({...WEB_POD})
    const none = buildTable(tablePrinterFor({group: '', kind: 'Pod'}), [WEB_POD], {...baseOpts, includeObject: 'None'})
    expect('object' in none.rows[0]).toBe(false)
  })

  it('adds a Completed row condition for succeeded pods only', () => {
    const done = {...WEB_POD, status: {phase: 'Succeeded'}}
    const table = buildTable(tablePrinterFor({group: '', kind: 'Pod'}), [WEB_POD, done], baseOpts)
    expect('conditions' in table.rows[0]).toBe(false)
    expect(table.rows[1].conditions?.[0]).toMatchObject({type: 'Completed', status: 'True', reason: 'Succeeded'})
  })

  it('renders an empty list with headers and no rows', () => {
    expect(buildTable(tablePrinterFor({group: 'apps', kind: 'Deployment'}), [], baseOpts).rows).toEqual([])
  })
})

describe('tablePrinterFor', () => {
  it('gives every resource kind exactly one string Name column with format name, and a cell per column', () => {
    for (const r of RESOURCES) {
      const printer = tablePrinterFor(r)
      const names = printer.columns.filter((c) => c.format === 'name')
      expect(names, r.kind).toHaveLength(1)
      expect(names[0]).toMatchObject({name: 'Name', type: 'string'})
      for (const c of printer.columns) expect(c.description, `${r.kind} ${c.name}`).not.toBe('')
      expect(printer.cells({metadata: {name: 'x'}}, NOW), r.kind).toHaveLength(printer.columns.length)
    }
  })

  it('falls back to Name and Created At for kinds without a printer', () => {
    const printer = tablePrinterFor({group: 'example.com', kind: 'Widget'})
    expect(printer.columns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Created At', 'date']])
    expect(printer.cells({metadata: {name: 'w', creationTimestamp: '2026-11-22T08:03:32.123Z'}}, NOW)).toEqual(['w', '2026-11-22T08:03:32Z'])
    expect(printer.cells({metadata: {name: 'w'}}, NOW)[1]).toBe('0001-01-01T00:00:00Z')
  })

  it('prints deployments with ready/desired, integer counts and the selector', () => {
    const deploy = {
      metadata: {name: 'web', creationTimestamp: '2026-11-22T08:00:00Z'},
      spec: {replicas: 3, selector: {matchLabels: {app: 'web'}}, template: {spec: {containers: [{name: 'web', image: 'nginx'}, {name: 'log', image: 'busybox'}]}}},
      status: {readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2},
    }
    expect(tablePrinterFor({group: 'apps', kind: 'Deployment'}).cells(deploy, NOW)).toEqual(['web', '2/3', 3, 2, '3m37s', 'web,log', 'nginx,busybox', 'app=web'])
  })

  it('prints replica sets with integer columns and <none> for a missing selector', () => {
    const rs = {metadata: {name: 'web-1', creationTimestamp: '2026-11-22T08:00:00Z'}, spec: {replicas: 2, template: {spec: {containers: [{name: 'web', image: 'nginx'}]}}}, status: {replicas: 2}}
    expect(tablePrinterFor({group: 'apps', kind: 'ReplicaSet'}).cells(rs, NOW)).toEqual(['web-1', 2, 2, 0, '3m37s', 'web', 'nginx', '<none>'])
  })

  it('prints events with a lower-case kind/name object, source and count', () => {
    const ev = {
      metadata: {name: 'web.1', namespace: 'default'},
      involvedObject: {kind: 'Pod', name: 'web', fieldPath: 'spec.containers{web}'},
      reason: 'Pulled', type: 'Normal', message: ' Container image "nginx:1.25" already present on machine\n',
      source: {component: 'kubelet', host: 'kcluster-node'},
      firstTimestamp: '2026-11-22T08:00:00Z', lastTimestamp: '2026-11-22T08:03:00Z', count: 2,
    }
    expect(tablePrinterFor({group: '', kind: 'Event'}).cells(ev, NOW)).toEqual([
      '37s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{web}', 'kubelet, kcluster-node',
      'Container image "nginx:1.25" already present on machine', '3m37s', 2, 'web.1',
    ])
  })

  it('prints new-style events from eventTime with a count of 1', () => {
    const ev = {metadata: {name: 'e'}, involvedObject: {kind: 'Node'}, eventTime: '2026-11-22T08:03:30.000001Z', reportingComponent: 'kcluster'}
    expect(tablePrinterFor({group: '', kind: 'Event'}).cells(ev, NOW)).toEqual(['7s', '', '', 'node', '', 'kcluster', '', '7s', 1, 'e'])
  })

  it('counts configmap data plus binaryData and secret data', () => {
    const cm = {metadata: {name: 'c', creationTimestamp: '2026-11-22T08:03:00Z'}, data: {a: '1', b: '2'}, binaryData: {c: 'AA=='}}
    expect(tablePrinterFor({group: '', kind: 'ConfigMap'}).cells(cm, NOW)).toEqual(['c', 3, '37s'])
    const secret = {metadata: {name: 's', creationTimestamp: '2026-11-22T08:03:00Z'}, type: 'Opaque', data: {a: 'MQ=='}}
    expect(tablePrinterFor({group: '', kind: 'Secret'}).cells(secret, NOW)).toEqual(['s', 'Opaque', 1, '37s'])
    expect(tablePrinterFor({group: '', kind: 'ServiceAccount'}).cells({metadata: {name: 'default'}}, NOW)).toEqual(['default', 0, '<unknown>'])
  })
})

describe('parseIncludeObject', () => {
  it('defaults to Metadata and rejects unknown values with a 400', () => {
    expect(parseIncludeObject(undefined)).toBe('Metadata')
    expect(parseIncludeObject('Object')).toBe('Object')
    expect(() => parseIncludeObject('All')).toThrow('unrecognized includeObject value: "All"')
  })
})
