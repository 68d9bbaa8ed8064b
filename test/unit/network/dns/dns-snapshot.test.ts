import type {Pod, Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {describe, expect, it} from 'vitest'
import {buildClusterRecords} from '../../../../src/cluster/network/dns/cluster-records.js'
import {dnsSnapshotFromObjects} from '../../../../src/cluster/network/dns/dns-snapshot.js'

const services: Service[] = [
  {metadata: {namespace: 'default', name: 'web'}, spec: {type: 'NodePort', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{name: 'http', port: 80, protocol: 'TCP'}]}},
  {metadata: {namespace: 'default', name: 'db'}, spec: {clusterIP: 'None', clusterIPs: ['None'], ports: [{name: 'mysql', port: 3306}]}},
  {metadata: {namespace: 'default', name: 'ext'}, spec: {type: 'ExternalName', externalName: 'example.com'}},
]

const slices: EndpointSlice[] = [{
  metadata: {namespace: 'default', name: 'db-abc', labels: {'kubernetes.io/service-name': 'db'}},
  addressType: 'IPv4',
  ports: [{name: 'mysql', port: 3306, protocol: 'TCP'}],
  endpoints: [
    {addresses: ['10.244.0.5'], hostname: 'db-0', conditions: {ready: true}, targetRef: {kind: 'Pod', name: 'db-0'}},
    {addresses: ['10.244.0.6'], targetRef: {kind: 'Pod', name: 'db-1'}},
    {addresses: ['10.244.0.7'], conditions: {ready: false}},
  ],
}, {
  metadata: {namespace: 'default', name: 'orphan'}, addressType: 'IPv4', endpoints: [{addresses: ['10.244.0.8']}],
}]

const pods: Pod[] = [
  {metadata: {namespace: 'default', name: 'db-1'}, spec: {containers: [], hostname: 'db-1', subdomain: 'db'}, status: {podIP: '10.244.0.6', podIPs: [{ip: '10.244.0.6'}]}},
]

describe('DNS snapshot from API objects', () => {
  const snapshot = dnsSnapshotFromObjects({namespaces: ['default'], services, endpointSlices: slices, pods})

  it('keeps Service kinds, ClusterIPs and ports, and drops `None`', () => {
    expect(snapshot.services).toEqual([
      {namespace: 'default', name: 'web', type: 'NodePort', clusterIPs: ['10.96.0.20'], headless: false, ports: [{name: 'http', port: 80, protocol: 'TCP'}]},
      {namespace: 'default', name: 'db', type: 'ClusterIP', clusterIPs: [], headless: true, ports: [{name: 'mysql', port: 3306, protocol: 'TCP'}]},
      {namespace: 'default', name: 'ext', type: 'ExternalName', clusterIPs: [], headless: false, externalName: 'example.com', ports: []},
    ])
  })

  it('keeps ready endpoints (a missing condition counts as ready) and skips slices without a Service label', () => {
    expect(snapshot.endpoints).toEqual([{
      namespace: 'default', service: 'db', ports: [{name: 'mysql', port: 3306, protocol: 'TCP'}],
      addresses: [{ip: '10.244.0.5', hostname: 'db-0', podName: 'db-0'}, {ip: '10.244.0.6', podName: 'db-1'}],
    }])
    expect(snapshot.pods).toEqual([{namespace: 'default', name: 'db-1', ips: ['10.244.0.6'], hostname: 'db-1', subdomain: 'db'}])
  })

  it('produces records that answer for the objects', () => {
    const records = buildClusterRecords(snapshot)
    const a = (name: string): unknown => records.lookup({name, type: 1, class: 1})
    expect(a('db-1.db.default.svc.cluster.local')).toMatchObject({rcode: 0, answers: [{address: '10.244.0.6'}]})
    expect(a('10-244-0-7.db.default.svc.cluster.local')).toMatchObject({rcode: 3})
  })
})
