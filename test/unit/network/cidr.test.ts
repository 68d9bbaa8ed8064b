import {describe, expect, it} from 'vitest'
import {Cidr, ipToNumber, numberToIp} from '../../../src/cluster/network/cidr.js'

describe('IPv4 CIDRs', () => {
  it('parses, normalises the network address and prints back', () => {
    expect(Cidr.parse('10.200.3.4/16').toString()).toBe('10.200.0.0/16')
    expect(Cidr.parse('192.168.160.0/20').size).toBe(4096)
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'fd00::/64', '']) expect(() => Cidr.parse(bad)).toThrow(/invalid IPv4 CIDR/)
  })

  it('answers containment, overlap, the n-th address and offsets', () => {
    const net = Cidr.parse('10.200.0.0/16')
    expect(net.contains('10.200.255.255')).toBe(true)
    expect(net.contains('10.201.0.0')).toBe(false)
    expect(net.overlaps(Cidr.parse('10.200.128.0/17'))).toBe(true)
    expect(net.overlaps(Cidr.parse('10.201.0.0/16'))).toBe(false)
    expect(Cidr.parse('10.0.0.0/8').overlaps(net)).toBe(true)
    expect(net.nth(1)).toBe('10.200.0.1')
    expect(net.nth(65535)).toBe('10.200.255.255')
    expect(() => net.nth(65536)).toThrow(/outside/)
    expect(net.offsetOf('10.200.1.2')).toBe(258)
    expect(net.offsetOf('10.1.1.2')).toBeUndefined()
  })

  it('halves a range into the pod half and the Service half', () => {
    const [pods, services] = Cidr.parse('10.200.0.0/16').halves()
    expect([pods.toString(), services.toString()]).toEqual(['10.200.0.0/17', '10.200.128.0/17'])
    expect(services.nth(1)).toBe('10.200.128.1')
  })

  it('converts addresses both ways across the whole 32-bit range', () => {
    expect(ipToNumber('255.255.255.255')).toBe(2 ** 32 - 1)
    expect(numberToIp(2 ** 32 - 1)).toBe('255.255.255.255')
    expect(ipToNumber('1.2.3')).toBeUndefined()
    expect(ipToNumber('1.2.3.256')).toBeUndefined()
  })
})

describe('cluster addressing', async () => {
  const {clusterDnsIP, kubernetesServiceIP, networkOfServiceCIDR, splitNetwork} = await import('../../../src/cluster/network/cluster-addressing.js')
  it('splits a network into pods and Services, with the kubernetes Service at .1 and DNS at .10 of the Service half', () => {
    const addressing = splitNetwork('10.200.0.0/16')
    expect(addressing).toEqual({podCIDR: '10.200.0.0/17', serviceCIDR: '10.200.128.0/17'})
    expect(kubernetesServiceIP(addressing.serviceCIDR)).toBe('10.200.128.1')
    expect(clusterDnsIP(addressing.serviceCIDR)).toBe('10.200.128.10')
    expect(networkOfServiceCIDR(addressing.serviceCIDR)).toBe('10.200.0.0/16')
  })
})
