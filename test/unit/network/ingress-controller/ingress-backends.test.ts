import type {Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {backendEndpoints, servicePortFor, slicesByServiceIndex} from '../../../../src/cluster/network/ingress-controller/ingress-backends.js'

const service: Service = {
  metadata: {name: 'web', namespace: 'shop'},
  spec: {
    ports: [
      {name: 'http', port: 80, targetPort: 'http-alt', protocol: 'TCP'},
      {name: 'admin', port: 9000, targetPort: 9090},
      {name: 'dns', port: 53, protocol: 'UDP'},
    ],
  },
}

function slice(endpoints: Array<{ip: string; ready?: boolean; terminating?: boolean; serving?: boolean}>): EndpointSlice {
  return {
    addressType: 'IPv4',
    metadata: {name: 'web-abc', namespace: 'shop', labels: {'kubernetes.io/service-name': 'web'}},
    ports: [
      {name: 'http', port: 8080, protocol: 'TCP'},
      {name: 'admin', port: 9090, protocol: 'TCP'},
      {name: 'dns', port: 5353, protocol: 'UDP'},
    ],
    endpoints: endpoints.map((e) => ({addresses: [e.ip], conditions: {ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false}})),
  }
}

const ref = (port: number | string) => ({namespace: 'shop', service: 'web', port})

describe('servicePortFor', () => {
  it('finds a TCP Service port by its number or by its name', () => {
    expect(servicePortFor(service, 80)?.name).toBe('http')
    expect(servicePortFor(service, 'admin')?.port).toBe(9000)
  })

  it('finds no port that is UDP only or not there', () => {
    expect(servicePortFor(service, 53)).toBeUndefined()
    expect(servicePortFor(service, 'dns')).toBeUndefined()
    expect(servicePortFor(service, 8080)).toBeUndefined()
    expect(servicePortFor(service, 'nope')).toBeUndefined()
  })
})

describe('backendEndpoints', () => {
  it('maps a backend port number to the slice port of the same Service port name (the resolved targetPort)', () => {
    const result = backendEndpoints(ref(80), service, [slice([{ip: '10.200.0.5'}, {ip: '10.200.0.6'}])])
    expect(result).toEqual({endpoints: [{ip: '10.200.0.5', port: 8080}, {ip: '10.200.0.6', port: 8080}]})
  })

  it('maps a backend port name the same way', () => {
    expect(backendEndpoints(ref('admin'), service, [slice([{ip: '10.200.0.5'}])]).endpoints).toEqual([{ip: '10.200.0.5', port: 9090}])
  })

  it('leaves out endpoints that are not ready', () => {
    const result = backendEndpoints(ref(80), service, [slice([{ip: '10.200.0.5', ready: false}, {ip: '10.200.0.6'}])])
    expect(result.endpoints).toEqual([{ip: '10.200.0.6', port: 8080}])
  })

  it('falls back to serving terminating endpoints only while none is ready', () => {
    const result = backendEndpoints(ref(80), service, [slice([{ip: '10.200.0.5', ready: false, serving: true, terminating: true}])])
    expect(result.endpoints).toEqual([{ip: '10.200.0.5', port: 8080}])
  })

  it('gives no endpoint, and says why, for a missing Service, an unknown port or no ready pod', () => {
    expect(backendEndpoints(ref(80), undefined, [])).toEqual({endpoints: [], problem: 'service shop/web not found'})
    expect(backendEndpoints(ref(81), service, [slice([{ip: '10.200.0.5'}])])).toEqual({endpoints: [], problem: 'service shop/web has no TCP port 81'})
    expect(backendEndpoints(ref(80), service, [slice([{ip: '10.200.0.5', ready: false}])])).toEqual({endpoints: [], problem: 'service shop/web has no ready endpoint'})
    expect(backendEndpoints(ref(80), service, [])).toEqual({endpoints: [], problem: 'service shop/web has no ready endpoint'})
  })

  it('gives no endpoint for an ExternalName Service', () => {
    const external: Service = {metadata: {name: 'web', namespace: 'shop'}, spec: {type: 'ExternalName', externalName: 'example.org', ports: [{port: 80}]}}
    expect(backendEndpoints(ref(80), external, []).endpoints).toEqual([])
  })
})

describe('slicesByServiceIndex', () => {
  it('indexes a slice under namespace/service from its service-name label, and a slice without it nowhere', () => {
    expect(slicesByServiceIndex(slice([]) as unknown as KubeObject)).toEqual(['shop/web'])
    expect(slicesByServiceIndex({metadata: {name: 'x', namespace: 'shop'}} as KubeObject)).toEqual([])
  })
})
