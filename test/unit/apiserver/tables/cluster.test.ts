import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {leasePrinter, namespacePrinter, nodePrinter} from '../../../../src/cluster/apiserver/tables/cluster.js'

const NOW = new Date('2026-11-22T10:10:00Z')

function node(opts: {ready?: string; unschedulable?: boolean; labels?: Record<string, string>; status?: Record<string, unknown>}): KubeObject {
  return {
    metadata: {name: 'kcluster-node', creationTimestamp: '2026-11-22T08:06:10Z', labels: opts.labels},
    spec: {unschedulable: opts.unschedulable},
    status: {
      conditions: opts.ready ? [{type: 'MemoryPressure', status: 'False'}, {type: 'Ready', status: opts.ready}] : [],
      ...opts.status,
    },
  }
}

const statusCell = (n: KubeObject): unknown => nodePrinter.cells(n, NOW)[1]
const rolesCell = (n: KubeObject): unknown => nodePrinter.cells(n, NOW)[2]

describe('node table cells', () => {
  it('derives Status from the Ready condition', () => {
    expect(statusCell(node({ready: 'True'}))).toBe('Ready')
    expect(statusCell(node({ready: 'False'}))).toBe('NotReady')
    expect(statusCell(node({ready: 'Unknown'}))).toBe('NotReady')
    expect(statusCell(node({}))).toBe('Unknown')
  })

  it('appends SchedulingDisabled for a cordoned node', () => {
    expect(statusCell(node({ready: 'True', unschedulable: true}))).toBe('Ready,SchedulingDisabled')
  })

  it('lists roles from node-role labels and the legacy role label, sorted', () => {
    expect(rolesCell(node({labels: {'node-role.kubernetes.io/control-plane': ''}}))).toBe('control-plane')
    expect(rolesCell(node({labels: {'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'infra', 'node-role.kubernetes.io/control-plane': ''}}))).toBe('control-plane,infra,worker')
    expect(rolesCell(node({labels: {'kubernetes.io/hostname': 'x', 'node-role.kubernetes.io/': ''}}))).toBe('<none>')
    expect(rolesCell(node({}))).toBe('<none>')
  })

  it('prints age, kubelet version and the wide system info cells', () => {
    const n = node({
      ready: 'True',
      status: {
        addresses: [{type: 'Hostname', address: 'kcluster-node'}, {type: 'InternalIP', address: '172.17.0.1'}],
        nodeInfo: {kubeletVersion: 'v1.32.5', osImage: 'Docker', kernelVersion: '6.0', containerRuntimeVersion: 'docker://27.0.1'},
      },
    })
    expect(nodePrinter.cells(n, NOW)).toEqual(['kcluster-node', 'Ready', '<none>', '123m', 'v1.32.5', '172.17.0.1', '<none>', 'Docker', '6.0', 'docker://27.0.1'])
  })

  it('prints <unknown> for missing system info', () => {
    expect(nodePrinter.cells(node({ready: 'True'}), NOW).slice(4)).toEqual(['', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'])
  })
})

describe('namespace and lease table cells', () => {
  it('prints the namespace phase', () => {
    expect(namespacePrinter.cells({metadata: {name: 'default', creationTimestamp: '2026-11-20T10:10:00Z'}, status: {phase: 'Active'}}, NOW)).toEqual(['default', 'Active', '2d'])
  })

  it('prints the lease holder, empty when unheld', () => {
    const lease = {metadata: {name: 'kcluster-node', creationTimestamp: '2026-11-22T10:09:30Z'}, spec: {holderIdentity: 'kcluster-node'}}
    expect(leasePrinter.cells(lease, NOW)).toEqual(['kcluster-node', 'kcluster-node', '30s'])
    expect(leasePrinter.cells({metadata: {name: 'x'}}, NOW)).toEqual(['x', '', '<unknown>'])
  })
})
