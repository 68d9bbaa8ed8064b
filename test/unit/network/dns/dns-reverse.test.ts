import {describe, expect, it} from 'vitest'
import {ipFromReverseName, isReverseName, reverseNameOf} from '../../../../src/cluster/network/dns/dns-reverse.js'
import {canonicalIp, formatIpv6, parseIpv6} from '../../../../src/cluster/network/dns/ip-bytes.js'

describe('IP addresses as DNS bytes', () => {
  it('writes IPv6 in the RFC 5952 form whatever form it was given in', () => {
    expect(canonicalIp('FD00:0:0:0:0:0:0:1')).toBe('fd00::1')
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1')
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('::ffff:a00:1')
    expect(canonicalIp('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8')
    expect(formatIpv6(Buffer.alloc(16))).toBe('::')
  })

  it('rejects text that is not an address', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fd00::g', 'web', '']) {
      expect(canonicalIp(bad), bad).toBeUndefined()
    }
    expect(parseIpv6('1:2:3:4:5:6:7::8')).toBeUndefined()
  })
})

describe('reverse names', () => {
  it('maps addresses to in-addr.arpa and ip6.arpa names and back', () => {
    expect(reverseNameOf('10.96.0.10')).toBe('10.0.96.10.in-addr.arpa')
    expect(ipFromReverseName('10.0.96.10.in-addr.arpa.')).toBe('10.96.0.10')
    const v6 = reverseNameOf('fd00::a')!
    expect(v6).toBe(`a.${'0.'.repeat(29)}d.f.ip6.arpa`)
    expect(ipFromReverseName(v6.toUpperCase())).toBe('fd00::a')
  })

  it('gives no address for partial or malformed reverse names', () => {
    for (const name of ['96.10.in-addr.arpa', '1.2.3.4.5.in-addr.arpa', '01.0.96.10.in-addr.arpa', '256.0.96.10.in-addr.arpa', 'a.ip6.arpa', 'example.com']) {
      expect(ipFromReverseName(name), name).toBeUndefined()
    }
    expect(isReverseName('96.10.in-addr.arpa')).toBe(true)
    expect(isReverseName('in-addr.arpa.example')).toBe(false)
  })
})
