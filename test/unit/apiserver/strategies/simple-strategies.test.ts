import {describe, expect, it} from 'vitest'
import {endpointsStrategy, eventStrategy, leaseStrategy, serviceAccountStrategy} from '../../../../src/cluster/apiserver/strategies/simple-strategies.js'
import {messages, object} from './fixtures.js'

describe('service account strategy', () => {
  it('validates the name as a DNS subdomain', () => {
    expect(serviceAccountStrategy.validate(object('ServiceAccount', 'v1', {metadata: {name: 'builder.ci'}}))).toEqual([])
    expect(messages(serviceAccountStrategy.validate(object('ServiceAccount', 'v1', {metadata: {name: 'Builder'}})))[0]).toMatch(/^metadata\.name: Invalid value: "Builder": a lowercase RFC 1123 subdomain/)
  })
})

describe('endpoints strategy', () => {
  it('defaults port protocols to TCP and accepts valid subsets', () => {
    const ep = object('Endpoints', 'v1', {subsets: [{addresses: [{ip: '10.244.0.5'}], ports: [{port: 80}]}]})
    endpointsStrategy.applyDefaults(ep)
    expect(ep.subsets).toEqual([{addresses: [{ip: '10.244.0.5'}], ports: [{port: 80, protocol: 'TCP'}]}])
    expect(endpointsStrategy.validate(ep)).toEqual([])
  })

  it('refuses bad addresses, unnamed ports among several, and empty subsets', () => {
    const ep = object('Endpoints', 'v1', {subsets: [{addresses: [{ip: '10.244.0.300'}], ports: [{port: 80}, {name: 'b', port: 70000}]}, {}]})
    endpointsStrategy.applyDefaults(ep)
    expect(messages(endpointsStrategy.validate(ep))).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "10.244.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
    ])
  })
})

describe('event strategy', () => {
  it('accepts event names that are not DNS subdomains when the namespaces agree', () => {
    const ev = object('Event', 'v1', {metadata: {name: 'web.17a3F'}, involvedObject: {kind: 'Pod', name: 'web', namespace: 'default'}})
    expect(eventStrategy.validate(ev)).toEqual([])
  })

  it('refuses an involved object in another namespace', () => {
    const ev = object('Event', 'v1', {involvedObject: {kind: 'Pod', name: 'web', namespace: 'other'}})
    expect(messages(eventStrategy.validate(ev))).toEqual(['involvedObject.namespace: Invalid value: "other": does not match event.namespace'])
  })

  it('requires the reporting fields on events with eventTime', () => {
    const ev = object('Event', 'v1', {eventTime: '2026-11-22T08:03:32.000000Z', involvedObject: {namespace: 'default'}})
    expect(messages(eventStrategy.validate(ev))).toEqual(['reportingComponent: Required value', 'reportingInstance: Required value', 'action: Required value', 'reason: Required value'])
  })
})

describe('lease strategy', () => {
  it('refuses a non-positive duration and negative transitions', () => {
    const lease = object('Lease', 'coordination.k8s.io/v1', {spec: {holderIdentity: 'node', leaseDurationSeconds: 0, leaseTransitions: -1}}, 'kube-node-lease')
    expect(messages(leaseStrategy.validate(lease))).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ])
    expect(leaseStrategy.validate(object('Lease', 'coordination.k8s.io/v1', {spec: {leaseDurationSeconds: 40}}))).toEqual([])
  })
})
