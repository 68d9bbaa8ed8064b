import type {Service} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {hostEntriesFor} from '../../../../src/cluster/network/host-services/host-entries.js'
import {desiredLoadBalancerStatus, listenFailureMessage, loadBalancerStatusDiffers} from '../../../../src/cluster/network/host-services/load-balancer-status.js'
import {listenError} from '../../../../src/cluster/network/proxy/listen-error.js'

const HOST = '127.0.0.1'
const OURS = {ingress: [{ip: HOST, ipMode: 'VIP'}]}

function service(spec: Service['spec'], status?: Service['status']): Service {
  return {metadata: {name: 'web', namespace: 'default', uid: 'u1'}, spec, status}
}

const lb = (status?: Service['status']) =>
  service({type: 'LoadBalancer', ports: [{name: 'a', port: 18080, nodePort: 31000}, {name: 'b', port: 18443, nodePort: 31001}]}, status)

describe('load balancer status', () => {
  it('advertises 127.0.0.1 with ipMode VIP once every load balancer port listens', () => {
    const svc = lb()
    const entries = hostEntriesFor(svc, [], HOST)
    expect(desiredLoadBalancerStatus(svc, entries, () => true, HOST)).toEqual(OURS)
  })

  it('advertises no address while one load balancer port is not listening', () => {
    const svc = lb()
    const entries = hostEntriesFor(svc, [], HOST)
    const down = entries.find((e) => e.role === 'LoadBalancer' && e.port === 18443)!.key
    expect(desiredLoadBalancerStatus(svc, entries, (k) => k !== down, HOST)).toEqual({})
  })

  it('does not hold the address back for a nodePort that is not listening', () => {
    const svc = lb()
    const entries = hostEntriesFor(svc, [], HOST)
    expect(desiredLoadBalancerStatus(svc, entries, (k) => !k.startsWith('nodeport|'), HOST)).toEqual(OURS)
  })

  it('withdraws our address from a Service that is no longer a LoadBalancer', () => {
    const svc = service({type: 'NodePort', ports: [{port: 80, nodePort: 30080}]}, {loadBalancer: OURS})
    expect(desiredLoadBalancerStatus(svc, hostEntriesFor(svc, [], HOST), () => true, HOST)).toEqual({})
  })

  it('leaves alone the status of Services it does not serve', () => {
    const classed = service({type: 'LoadBalancer', loadBalancerClass: 'example.com/lb', ports: [{port: 80}]}, {loadBalancer: {ingress: [{ip: '203.0.113.9'}]}})
    expect(desiredLoadBalancerStatus(classed, [], () => true, HOST)).toBeUndefined()
    const plain = service({type: 'ClusterIP', ports: [{port: 80}]}, {loadBalancer: {}})
    expect(desiredLoadBalancerStatus(plain, [], () => true, HOST)).toBeUndefined()
  })

  it('counts an empty ingress list and a missing one as the same status', () => {
    expect(loadBalancerStatusDiffers(undefined, {})).toBe(false)
    expect(loadBalancerStatusDiffers({ingress: []}, {})).toBe(false)
    expect(loadBalancerStatusDiffers({}, OURS)).toBe(true)
    expect(loadBalancerStatusDiffers({ingress: [{ip: HOST, ipMode: 'VIP'}]}, OURS)).toBe(false)
    expect(loadBalancerStatusDiffers({ingress: [{ip: HOST}]}, OURS)).toBe(true)
  })

  it('words a listen failure as the cloud controller does, with the reason and what would fix it', () => {
    const inUse = listenError({host: HOST, port: 18080, protocol: 'TCP'}, Object.assign(new Error('x'), {code: 'EADDRINUSE'}))
    expect(listenFailureMessage({role: 'LoadBalancer', portName: 'a'}, inUse)).toBe(
      'Error syncing load balancer: port a: listen TCP 127.0.0.1:18080: address already in use (EADDRINUSE) (another process or Service on this host holds the port); retrying',
    )
    const denied = listenError({host: HOST, port: 80, protocol: 'TCP'}, Object.assign(new Error('x'), {code: 'EACCES'}))
    expect(listenFailureMessage({role: 'LoadBalancer', portName: 'http'}, denied)).toContain('ports below 1024 need root or CAP_NET_BIND_SERVICE')
    expect(listenFailureMessage({role: 'NodePort', portName: 'http'}, inUse)).toMatch(/^NodePort of port http not reachable from the host: listen TCP/)
  })
})
