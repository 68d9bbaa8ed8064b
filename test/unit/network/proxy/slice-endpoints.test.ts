import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {describe, expect, it} from 'vitest'
import {servicePortEndpoints} from '../../../../src/cluster/network/proxy/slice-endpoints.js'

const slice = (over: Partial<EndpointSlice>): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {name: 'web-abc', namespace: 'default'},
  addressType: 'IPv4',
  endpoints: [],
  ...over,
})

describe('servicePortEndpoints', () => {
  it('resolves a named Service port to the number each slice carries for it', () => {
    const slices = [
      slice({ports: [{name: 'http', port: 8080, protocol: 'TCP'}, {name: 'metrics', port: 9090, protocol: 'TCP'}], endpoints: [{addresses: ['10.200.0.5']}]}),
      slice({ports: [{name: 'http', port: 80, protocol: 'TCP'}], endpoints: [{addresses: ['10.200.0.6']}]}),
    ]
    expect(servicePortEndpoints(slices, {name: 'http', protocol: 'TCP'})).toEqual([
      {ip: '10.200.0.5', port: 8080},
      {ip: '10.200.0.6', port: 80},
    ])
    expect(servicePortEndpoints(slices, {name: 'metrics'})).toEqual([{ip: '10.200.0.5', port: 9090}])
  })

  it('matches an unnamed port by the empty name and the protocol', () => {
    const slices = [slice({ports: [{name: '', port: 53, protocol: 'UDP'}, {name: '', port: 5353, protocol: 'TCP'}], endpoints: [{addresses: ['10.200.0.9']}]})]
    expect(servicePortEndpoints(slices, {protocol: 'UDP'})).toEqual([{ip: '10.200.0.9', port: 53}])
    expect(servicePortEndpoints(slices, {})).toEqual([{ip: '10.200.0.9', port: 5353}])
  })

  it('keeps ready endpoints (an unset condition counts as ready) and drops the rest', () => {
    const slices = [
      slice({
        ports: [{name: 'http', port: 8080}],
        endpoints: [
          {addresses: ['10.200.0.1'], conditions: {ready: true}},
          {addresses: ['10.200.0.2'], conditions: {ready: false, serving: false}},
          {addresses: ['10.200.0.3']},
          {addresses: ['10.200.0.4'], conditions: {ready: false, serving: true, terminating: true}},
        ],
      }),
    ]
    expect(servicePortEndpoints(slices, {name: 'http'}).map((e) => e.ip)).toEqual(['10.200.0.1', '10.200.0.3'])
  })

  it('falls back to serving terminating endpoints when none is ready', () => {
    const slices = [
      slice({
        ports: [{name: 'http', port: 8080}],
        endpoints: [
          {addresses: ['10.200.0.2'], conditions: {ready: false, serving: false, terminating: true}},
          {addresses: ['10.200.0.4'], conditions: {ready: false, serving: true, terminating: true}},
          {addresses: ['10.200.0.5'], conditions: {ready: false, serving: true, terminating: false}},
        ],
      }),
    ]
    expect(servicePortEndpoints(slices, {name: 'http'})).toEqual([{ip: '10.200.0.4', port: 8080}])
  })

  it('lists an address found in two slices once, preferring its ready entry', () => {
    const slices = [
      slice({ports: [{name: 'http', port: 8080}], endpoints: [{addresses: ['10.200.0.1'], conditions: {ready: false}}]}),
      slice({ports: [{name: 'http', port: 8080}], endpoints: [{addresses: ['10.200.0.1'], conditions: {ready: true}}, {addresses: ['10.200.0.2']}]}),
    ]
    expect(servicePortEndpoints(slices, {name: 'http'}).map((e) => e.ip)).toEqual(['10.200.0.1', '10.200.0.2'])
  })

  it('ignores slices of another address type and slices without the port', () => {
    const slices = [
      slice({addressType: 'IPv6', ports: [{name: 'http', port: 8080}], endpoints: [{addresses: ['fd00::1']}]}),
      slice({addressType: 'FQDN', ports: [{name: 'http', port: 8080}], endpoints: [{addresses: ['example.com']}]}),
      slice({ports: [{name: 'other', port: 1}], endpoints: [{addresses: ['10.200.0.1']}]}),
      slice({ports: null as unknown as undefined, endpoints: [{addresses: ['10.200.0.2']}]}),
    ]
    expect(servicePortEndpoints(slices, {name: 'http'})).toEqual([])
    expect(servicePortEndpoints(slices, {name: 'http'}, {addressType: 'IPv6'})).toEqual([{ip: 'fd00::1', port: 8080}])
  })
})
