import type {Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {describe, expect, it} from 'vitest'
import {netState} from '../../../src/cluster/network/net-state.js'

const svc = (namespace: string, name: string, spec: Service['spec']): Service => ({metadata: {namespace, name}, spec})
const slice = (namespace: string, service: string, ips: string[], port: {name?: string; port: number}): EndpointSlice => ({
  metadata: {namespace, name: `${service}-abc`, labels: {'kubernetes.io/service-name': service}},
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({addresses: [ip], conditions: {ready: true}})),
  ports: [{name: port.name ?? '', port: port.port, protocol: 'TCP'}],
})

const objects = {
  namespaces: [{metadata: {name: 'default'}}, {metadata: {name: 'kube-system'}}, {metadata: {name: 'shop'}}],
  services: [
    svc('default', 'kubernetes', {clusterIP: '10.200.128.1', clusterIPs: ['10.200.128.1'], ports: [{name: 'https', port: 443, protocol: 'TCP'}]}),
    svc('kube-system', 'kube-dns', {clusterIP: '10.200.128.10', clusterIPs: ['10.200.128.10'], ports: [{name: 'dns', port: 53, protocol: 'UDP'}]}),
    svc('shop', 'web', {clusterIP: '10.200.128.16', clusterIPs: ['10.200.128.16'], ports: [{name: 'http', port: 80, targetPort: 'http'}], sessionAffinity: 'ClientIP'}),
    svc('shop', 'db', {clusterIP: 'None', clusterIPs: ['None'], ports: [{port: 5432}]}),
    svc('shop', 'ext', {type: 'ExternalName', externalName: 'example.com'}),
  ],
  endpointSlices: [slice('default', 'kubernetes', ['10.200.0.1'], {name: 'https', port: 6443}), slice('shop', 'web', ['10.200.0.5', '10.200.0.6'], {name: 'http', port: 8080}), slice('shop', 'db', ['10.200.0.7'], {port: 5432})],
  pods: [],
}

describe('the state kcluster-net holds', () => {
  const state = netState(objects, {dnsIP: '10.200.128.10'})

  it('holds every ClusterIP, the DNS one included, and none for headless or ExternalName Services', () => {
    expect(state.addresses).toEqual(['10.200.128.1', '10.200.128.10', '10.200.128.16'])
  })

  it('proxies each Service port to its ready endpoints on their target port, the kubernetes Service to the API server by the slice the API server writes, and not the DNS Service', () => {
    expect(state.proxies).toEqual([
      {key: 'default/kubernetes:10.200.128.1:443/TCP', host: '10.200.128.1', port: 443, protocol: 'TCP', endpoints: [{ip: '10.200.0.1', port: 6443}], affinity: {type: 'None'}},
      {
        key: 'shop/web:10.200.128.16:80/TCP',
        host: '10.200.128.16',
        port: 80,
        protocol: 'TCP',
        endpoints: [{ip: '10.200.0.5', port: 8080}, {ip: '10.200.0.6', port: 8080}],
        affinity: {type: 'ClientIP', timeoutSeconds: 10800},
      },
    ])
  })

  it('gives DNS its address, the zone and the snapshot of Services and endpoints', () => {
    expect(state.dns.listen).toBe('10.200.128.10')
    expect(state.dns.zone).toBe('cluster.local')
    expect(state.dns.snapshot.namespaces).toEqual(['default', 'kube-system', 'shop'])
    expect(state.dns.snapshot.services.map((s) => `${s.namespace}/${s.name}`).sort()).toEqual(['default/kubernetes', 'kube-system/kube-dns', 'shop/db', 'shop/ext', 'shop/web'])
  })
})
