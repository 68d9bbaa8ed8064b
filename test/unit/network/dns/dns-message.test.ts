import {describe, expect, it} from 'vitest'
import {DnsFormatError} from '../../../../src/cluster/network/dns/dns-errors.js'
import {
  NO_FLAGS, encodeDnsMessage, parseDnsMessage, readDnsHeader, type DnsMessage,
} from '../../../../src/cluster/network/dns/dns-message.js'
import {DnsType, type DnsRecord} from '../../../../src/cluster/network/dns/dns-records.js'

function message(overrides: Partial<DnsMessage> = {}): DnsMessage {
  return {id: 0x1234, flags: {...NO_FLAGS}, questions: [], answers: [], authorities: [], additionals: [], ...overrides}
}

function formatError(packet: Uint8Array): DnsFormatError {
  try {
    parseDnsMessage(packet)
  } catch (err) {
    if (err instanceof DnsFormatError) return err
    throw err
  }
  throw new Error('expected the packet to be rejected')
}

// A hand-built query for www.example.com A with RD set (RFC 1035 layout).
const QUERY = Buffer.from([
  0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
  3, 0x77, 0x77, 0x77, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0,
  0, 1, 0, 1,
])

describe('DNS message codec', () => {
  it('parses a query built by hand byte for byte', () => {
    const parsed = parseDnsMessage(QUERY)
    expect(parsed.id).toBe(0xabcd)
    expect(parsed.flags).toMatchObject({qr: false, opcode: 0, rd: true, rcode: 0})
    expect(parsed.questions).toEqual([{name: 'www.example.com', type: DnsType.A, class: 1}])
    expect(encodeDnsMessage(parsed)).toEqual(QUERY)
  })

  it('round-trips every record type it knows, and unknown ones as raw bytes', () => {
    const records: DnsRecord[] = [
      {name: 'web.default.svc.cluster.local', ttl: 5, class: 1, type: 'A', address: '10.96.0.12'},
      {name: 'web.default.svc.cluster.local', ttl: 5, class: 1, type: 'AAAA', address: 'fd00::a:1'},
      {name: 'ext.default.svc.cluster.local', ttl: 5, class: 1, type: 'CNAME', target: 'example.com'},
      {name: '12.0.96.10.in-addr.arpa', ttl: 5, class: 1, type: 'PTR', target: 'web.default.svc.cluster.local'},
      {name: '_http._tcp.web.default.svc.cluster.local', ttl: 5, class: 1, type: 'SRV', priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local'},
      {name: 'dns-version.cluster.local', ttl: 28800, class: 1, type: 'TXT', texts: ['1.1.0', '']},
      {name: 'cluster.local', ttl: 5, class: 1, type: 'NS', target: 'ns.dns.cluster.local'},
      {name: 'x.example', ttl: 7, class: 1, type: 'RAW', code: 99, data: Buffer.from([1, 2, 3])},
    ]
    const soa: DnsRecord = {
      name: 'cluster.local', ttl: 5, class: 1, type: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local',
      serial: 4294967295, refresh: 7200, retry: 1800, expire: 86400, minimum: 5,
    }
    const original = message({
      flags: {...NO_FLAGS, qr: true, aa: true, rd: true, ra: true, rcode: 3},
      questions: [{name: 'web.default.svc.cluster.local', type: DnsType.A, class: 1}],
      answers: records, authorities: [soa], additionals: [records[0]!],
      edns: {udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: true, options: Buffer.from([0, 10, 0, 2, 0xaa, 0xbb])},
    })
    expect(parseDnsMessage(encodeDnsMessage(original))).toEqual(original)
  })

  it('compresses repeated names into pointers but never an SRV target', () => {
    const name = 'web.default.svc.cluster.local'
    const q = {name, type: DnsType.A, class: 1}
    const answers: DnsRecord[] = [1, 2, 3].map((n) => ({name, ttl: 5, type: 'A', address: `10.0.0.${n}`}))
    const compressed = encodeDnsMessage(message({questions: [q], answers}))
    // Header, the name once (31 bytes), QTYPE/QCLASS, then three records of pointer + 10 + 4 bytes.
    expect(compressed.length).toBe(12 + 31 + 4 + 3 * (2 + 10 + 4))
    const srv: DnsRecord = {name, ttl: 5, type: 'SRV', priority: 0, weight: 100, port: 80, target: name}
    const withSrv = encodeDnsMessage(message({questions: [q], answers: [srv]}))
    expect(withSrv.length).toBe(12 + 31 + 4 + 2 + 10 + 6 + 31)
    expect(parseDnsMessage(withSrv).answers[0]).toMatchObject({type: 'SRV', target: name})
  })

  it('matches compression suffixes case-insensitively and keeps each name\'s own case', () => {
    const answers: DnsRecord[] = [{name: 'A.Example.COM', ttl: 1, type: 'CNAME', target: 'b.example.com'}]
    const parsed = parseDnsMessage(encodeDnsMessage(message({questions: [{name: 'WWW.example.com', type: 1, class: 1}], answers})))
    expect(parsed.questions[0]!.name).toBe('WWW.example.com')
    expect(parsed.answers[0]).toMatchObject({name: 'A.example.com', target: 'b.example.com'})
  })

  it('accepts a trailing dot and escapes label bytes that text cannot show plainly', () => {
    const name = 'a\\.b.c\\\\d.\\000x.example'
    const parsed = parseDnsMessage(encodeDnsMessage(message({questions: [{name: `${name}.`, type: 1, class: 1}]})))
    expect(parsed.questions[0]!.name).toBe(name)
  })

  it('refuses to encode labels over 63 bytes and names over 255', () => {
    expect(() => encodeDnsMessage(message({questions: [{name: `${'a'.repeat(64)}.example`, type: 1, class: 1}]}))).toThrow(DnsFormatError)
    const long = Array.from({length: 5}, () => 'b'.repeat(60)).join('.')
    expect(() => encodeDnsMessage(message({questions: [{name: long, type: 1, class: 1}]}))).toThrow(DnsFormatError)
  })
})

describe('DNS message parsing of hostile input', () => {
  it('rejects every truncation of a valid message with a DnsFormatError', () => {
    const full = encodeDnsMessage(message({
      questions: [{name: 'web.default.svc.cluster.local', type: 1, class: 1}],
      answers: [{name: 'web.default.svc.cluster.local', ttl: 5, type: 'A', address: '10.0.0.1'}],
      edns: {udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: false, options: Buffer.alloc(0)},
    }))
    for (let length = 0; length < full.length; length++) expect(formatError(full.subarray(0, length))).toBeInstanceOf(DnsFormatError)
  })

  it('rejects a compression pointer that points at itself or forwards, so loops are impossible', () => {
    const header = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    expect(formatError(Buffer.from([...header, 0xc0, 12, 0, 1, 0, 1])).message).toMatch(/does not point backwards/)
    expect(formatError(Buffer.from([...header, 0xc0, 14, 0, 1, 0, 1, 0])).message).toMatch(/does not point backwards/)
    // Two names pointing at each other: the second hop would go forwards again.
    const loop = Buffer.from([...header.slice(0, 4), 0, 2, 0, 0, 0, 0, 0, 0, 1, 0x61, 0xc0, 18, 0, 1, 0, 1, 1, 0x62, 0xc0, 12, 0, 1, 0, 1])
    expect(formatError(loop)).toBeInstanceOf(DnsFormatError)
  })

  it('rejects section counts that cannot fit in the packet before reading any of them', () => {
    const huge = Buffer.from([0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0])
    expect(formatError(huge).message).toMatch(/cannot fit/)
  })

  it('rejects extended label types, over-long names and record data of the wrong size', () => {
    const header = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    expect(formatError(Buffer.from([...header, 0x41, 0, 0, 1, 0, 1])).message).toMatch(/label type/)
    const labels = Array.from({length: 5}, () => [60, ...Buffer.alloc(60, 0x61)]).flat()
    expect(formatError(Buffer.from([...header, ...labels, 0, 0, 1, 0, 1])).message).toMatch(/longer than 255/)
    const badA = Buffer.from([0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 3, 10, 0, 0])
    expect(formatError(badA).message).toMatch(/A record data is 3 bytes/)
  })

  it('rejects an OPT record outside the additional section or a second one', () => {
    const opt = [0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0]
    expect(formatError(Buffer.from([0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, ...opt])).message).toMatch(/OPT/)
    expect(formatError(Buffer.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, ...opt, ...opt])).message).toMatch(/OPT/)
  })

  it('reads the id and flags of a packet whose body is garbage, and nothing from a short one', () => {
    expect(readDnsHeader(Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 9, 0, 0, 0, 0, 0, 0, 0xff]))).toMatchObject({id: 0x1234, flags: {rd: true, qr: false}})
    expect(readDnsHeader(Buffer.from([1, 2, 3]))).toBeUndefined()
  })

  it('survives random bytes: every input parses or throws a DnsFormatError', () => {
    let seed = 42
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256
    for (let i = 0; i < 2000; i++) {
      const packet = Buffer.from(Array.from({length: 12 + (i % 80)}, random))
      packet[4] = 0
      packet[5] = i % 3
      try {
        parseDnsMessage(packet)
      } catch (err) {
        expect(err).toBeInstanceOf(DnsFormatError)
      }
    }
  })
})
