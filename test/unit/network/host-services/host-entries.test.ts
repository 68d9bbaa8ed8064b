import type {Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {describe, expect, it} from 'vitest'
import {hostEntriesFor, servesLoadBalancer, wantsHostListeners} from '../../../../src/cluster/network/host-services/host-entries.js'

const HOST = '127.0.0.1'

function service(spec: Service['spec'], name = 'web'): Service {
  return {metadata: {name, namespace: 'shop', uid: `uid-${name}`}, spec: {clusterIP: '10.200.128.7', ...spec}}
}

function slice(endpoints: Array<{ip: string; ready?: boolean}>, ports: Array<{name?: string; port: number; protocol?: string}>): EndpointSlice {
  return {
    addressType: 'IPv4',
    metadata: {name: 'web-abc', namespace: 'shop', labels: {'kubernetes.io/service-name': 'web'}},
    endpoints: endpoints.map((e) => ({addresses: [e.ip], conditions: {ready: e.ready ?? true}})),
    ports,
  }
}

describe('host entries of a Service', () => {
  it('gives a ClusterIP or ExternalName Service no host listener', () => {
    expect(hostEntriesFor(service({type: 'ClusterIP', ports: [{port: 80}]}), [], HOST)).toEqual([])
    expect(hostEntriesFor(service({type: 'ExternalName', externalName: 'example.org'}), [], HOST)).toEqual([])
    expect(wantsHostListeners(service({type: 'ClusterIP'}))).toBe(false)
  })

  it('listens on each nodePort of a NodePort Service and forwards to the ready endpoints of that port', () => {
    const svc = service({
      type: 'NodePort',
      ports: [
        {name: 'http', port: 80, targetPort: 'http', nodePort: 30080, protocol: 'TCP'},
        {name: 'dns', port: 53, nodePort: 30053, protocol: 'UDP'},
      ],
    })
    const slices = [
      slice([{ip: '10.200.0.5'}, {ip: '10.200.0.6', ready: false}], [
        {name: 'http', port: 8080},
        {name: 'dns', port: 5353, protocol: 'UDP'},
      ]),
    ]
    const entries = hostEntriesFor(svc, slices, HOST)
    expect(entries).toEqual([
      expect.objectContaining({key: 'nodeport|shop/web:http/TCP@127.0.0.1:30080', role: 'NodePort', host: HOST, port: 30080, protocol: 'TCP', endpoints: [{ip: '10.200.0.5', port: 8080}]}),
      expect.objectContaining({key: 'nodeport|shop/web:dns/UDP@127.0.0.1:30053', role: 'NodePort', port: 30053, protocol: 'UDP', endpoints: [{ip: '10.200.0.5', port: 5353}]}),
    ])
    expect(entries.every((e) => e.service === 'shop/web')).toBe(true)
  })

  it('listens on the nodePort and on the Service port of a LoadBalancer Service', () => {
    const svc = service({type: 'LoadBalancer', ports: [{port: 18080, targetPort: 8080, nodePort: 31000, protocol: 'TCP'}]})
    const entries = hostEntriesFor(svc, [slice([{ip: '10.200.0.5'}], [{port: 8080}])], HOST)
    expect(entries.map((e) => [e.role, e.port, e.portName, e.key])).toEqual([
      ['NodePort', 31000, '18080', 'nodeport|shop/web:18080/TCP@127.0.0.1:31000'],
      ['LoadBalancer', 18080, '18080', 'lb|shop/web:18080/TCP@127.0.0.1:18080'],
    ])
    expect(entries[1]!.endpoints).toEqual([{ip: '10.200.0.5', port: 8080}])
  })

  it('leaves the load balancer ports of a Service with a loadBalancerClass to that class, but keeps its nodePorts', () => {
    const svc = service({type: 'LoadBalancer', loadBalancerClass: 'example.com/lb', ports: [{port: 80, nodePort: 31001}]})
    expect(servesLoadBalancer(svc)).toBe(false)
    expect(hostEntriesFor(svc, [], HOST).map((e) => [e.role, e.port])).toEqual([['NodePort', 31001]])
  })

  it('has only load balancer ports when no nodePort was allocated, and skips SCTP ports', () => {
    const svc = service({type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{name: 'a', port: 9000}, {name: 's', port: 9001, protocol: 'SCTP'}]})
    expect(hostEntriesFor(svc, [], HOST).map((e) => [e.role, e.port, e.protocol])).toEqual([['LoadBalancer', 9000, 'TCP']])
  })

  it('carries the ClientIP affinity and its timeout to every listener', () => {
    const svc = service({type: 'NodePort', sessionAffinity: 'ClientIP', sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}, ports: [{port: 80, nodePort: 30081}]})
    expect(hostEntriesFor(svc, [], HOST)[0]!.affinity).toEqual({type: 'ClientIP', timeoutSeconds: 60})
  })

  it('gives a port without ready endpoints an empty endpoint list (its connections are reset)', () => {
    const svc = service({type: 'NodePort', ports: [{port: 80, nodePort: 30082}]})
    expect(hostEntriesFor(svc, [slice([{ip: '10.200.0.5', ready: false}], [{port: 8080}])], HOST)[0]!.endpoints).toEqual([])
  })
})
