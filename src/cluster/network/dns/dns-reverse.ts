// Reverse names (RFC 1035 3.5, RFC 3596 2.5): `d.c.b.a.in-addr.arpa` and the 32-nibble `ip6.arpa` form.
import {canonicalName} from './dns-name.js'
import {formatIpv4, formatIpv6, parseIpv4, parseIpv6} from './ip-bytes.js'

const V4_SUFFIX = '.in-addr.arpa'
const V6_SUFFIX = '.ip6.arpa'

/** Whether a name lies in either reverse tree (the trees' own apexes included). */
export function isReverseName(name: string): boolean {
  const n = canonicalName(name)
  return n === 'in-addr.arpa' || n === 'ip6.arpa' || n.endsWith(V4_SUFFIX) || n.endsWith(V6_SUFFIX)
}

/** The address a complete reverse name stands for (canonical text), or undefined for any other name. */
export function ipFromReverseName(name: string): string | undefined {
  const n = canonicalName(name)
  if (n.endsWith(V4_SUFFIX)) {
    const octets = n.slice(0, -V4_SUFFIX.length).split('.')
    if (octets.length !== 4 || octets.some((o) => !/^(0|[1-9]\d{0,2})$/.test(o))) return undefined
    const bytes = parseIpv4(octets.reverse().join('.'))
    return bytes && formatIpv4(bytes)
  }
  if (n.endsWith(V6_SUFFIX)) {
    const nibbles = n.slice(0, -V6_SUFFIX.length).split('.')
    if (nibbles.length !== 32 || nibbles.some((x) => !/^[0-9a-f]$/.test(x))) return undefined
    const hex = nibbles.reverse().join('')
    return formatIpv6(Buffer.from(hex, 'hex'))
  }
  return undefined
}

/** The reverse name of an address, or undefined when `ip` is not one. */
export function reverseNameOf(ip: string): string | undefined {
  const v4 = parseIpv4(ip)
  if (v4) return `${[...v4].reverse().join('.')}${V4_SUFFIX}`
  const v6 = parseIpv6(ip)
  if (!v6) return undefined
  return `${[...v6.toString('hex')].reverse().join('.')}${V6_SUFFIX}`
}
