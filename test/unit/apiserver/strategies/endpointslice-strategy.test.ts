import {describe, expect, it} from 'vitest'
import {endpointSliceStrategy} from '../../../../src/cluster/apiserver/strategies/endpointslice-strategy.js'
import {messages, object} from './fixtures.js'

const slice = (fields: Record<string, unknown>) => object('EndpointSlice', 'discovery.k8s.io/v1', {addressType: 'IPv4', endpoints: [], ...fields})

describe('endpointslice strategy', () => {
  it('names unnamed ports "" and defaults their protocol to TCP', () => {
    const s = slice({ports: [{port: 80}, {name: 'dns', port: 53, protocol: 'UDP'}]})
    endpointSliceStrategy.applyDefaults(s)
    expect(s.ports).toEqual([{name: '', port: 80, protocol: 'TCP'}, {name: 'dns', port: 53, protocol: 'UDP'}])
    expect(endpointSliceStrategy.validate(s)).toEqual([])
  })

  it('accepts a slice with endpoints of its address type', () => {
    const s = slice({endpoints: [{addresses: ['10.244.0.5'], conditions: {ready: true}, nodeName: 'node-a', hostname: 'web-0'}]})
    expect(endpointSliceStrategy.validate(s)).toEqual([])
  })

  it('refuses unknown address types, addresses of another type, endpoints without addresses and bad ports', () => {
    expect(messages(endpointSliceStrategy.validate(slice({addressType: 'IPv5'})))).toEqual(['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'])
    expect(messages(endpointSliceStrategy.validate(slice({addressType: undefined})))).toEqual(['addressType: Required value'])
    const s = slice({endpoints: [{addresses: ['fd00::1']}, {addresses: []}], ports: [{name: 'a', protocol: 'HTTP'}, {name: 'a', protocol: 'TCP'}]})
    expect(messages(endpointSliceStrategy.validate(s))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[1].addresses: Required value: must contain at least 1 address',
      'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'ports[1].name: Duplicate value: "a"',
    ])
  })

  it('refuses more than 1000 endpoints', () => {
    const endpoints = Array.from({length: 1001}, () => ({addresses: ['10.0.0.1']}))
    expect(messages(endpointSliceStrategy.validate(slice({endpoints})))).toEqual(['endpoints: Too many: must have at most 1000 items'])
  })

  it('keeps the address type immutable', () => {
    const old = slice({})
    expect(messages(endpointSliceStrategy.validateUpdate(slice({addressType: 'IPv6'}), old))).toEqual(['addressType: Invalid value: "IPv6": field is immutable'])
    expect(endpointSliceStrategy.validateUpdate(slice({}), old)).toEqual([])
  })
})
