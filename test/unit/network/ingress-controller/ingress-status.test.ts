import type {Ingress} from 'kubernetes-types/networking/v1.js'
import {describe, expect, it} from 'vitest'
import {desiredLoadBalancer, loadBalancerUpdate} from '../../../../src/cluster/network/ingress-controller/ingress-status.js'

const standard = {ip: '127.0.0.1', httpPort: 80, httpsPort: 443}
const fallback = {ip: '127.0.0.1', httpPort: 8080, httpsPort: 8443}

function withStatus(loadBalancer?: object): Ingress {
  return {metadata: {name: 'web', namespace: 'default'}, spec: {}, ...(loadBalancer ? {status: {loadBalancer}} : {})}
}

describe('desiredLoadBalancer', () => {
  it('is the address alone on 80/443, as ingress-nginx writes it', () => {
    expect(desiredLoadBalancer(standard)).toEqual({ingress: [{ip: '127.0.0.1'}]})
  })

  it('lists both ports when the listeners are elsewhere', () => {
    expect(desiredLoadBalancer(fallback)).toEqual({ingress: [{ip: '127.0.0.1', ports: [{port: 8080, protocol: 'TCP'}, {port: 8443, protocol: 'TCP'}]}]})
  })
})

describe('loadBalancerUpdate', () => {
  it('writes the address to a served Ingress without status', () => {
    expect(loadBalancerUpdate(withStatus(), true, standard)).toEqual({ingress: [{ip: '127.0.0.1'}]})
  })

  it('writes nothing when the status is right already, empty port lists included', () => {
    expect(loadBalancerUpdate(withStatus({ingress: [{ip: '127.0.0.1'}]}), true, standard)).toBeUndefined()
    expect(loadBalancerUpdate(withStatus({ingress: [{ip: '127.0.0.1', ports: []}]}), true, standard)).toBeUndefined()
    expect(loadBalancerUpdate(withStatus(desiredLoadBalancer(fallback)), true, fallback)).toBeUndefined()
  })

  it('rewrites a status holding other ports or another address', () => {
    expect(loadBalancerUpdate(withStatus(desiredLoadBalancer(standard)), true, fallback)).toEqual(desiredLoadBalancer(fallback))
    expect(loadBalancerUpdate(withStatus({ingress: [{ip: '10.0.0.1'}]}), true, standard)).toEqual(desiredLoadBalancer(standard))
  })

  it('clears our address from an Ingress no longer served, and leaves another controller\'s status alone', () => {
    expect(loadBalancerUpdate(withStatus({ingress: [{ip: '127.0.0.1'}]}), false, standard)).toEqual({})
    expect(loadBalancerUpdate(withStatus({ingress: [{ip: '10.0.0.1'}]}), false, standard)).toBeUndefined()
    expect(loadBalancerUpdate(withStatus(), false, standard)).toBeUndefined()
  })
})
