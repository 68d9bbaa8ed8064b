import {describe, expect, it} from 'vitest'
import {buildClusterRecords, type DnsAnswer, type DnsLookup} from '../../../../src/cluster/network/dns/cluster-records.js'
import {DnsType} from '../../../../src/cluster/network/dns/dns-records.js'
import {clusterSnapshot} from './cluster-fixture.js'

const records = buildClusterRecords(clusterSnapshot(), {serial: 77})
const lookup = (name: string, type: number = DnsType.A): DnsLookup => records.lookup({name, type, class: 1})

function answered(name: string, type: number = DnsType.A): DnsAnswer {
  const result = lookup(name, type)
  if (result.kind !== 'answer') throw new Error(`${name} was not answered locally: ${result.kind}`)
  return result
}

const data = (result: DnsAnswer): unknown[] => result.answers.map(({name: _n, ttl: _t, class: _c, ...rest}) => rest)
const isNxdomain = (name: string, type: number = DnsType.A): boolean => answered(name, type).rcode === 3

function isNodata(name: string, type: number = DnsType.A): boolean {
  const result = answered(name, type)
  return result.rcode === 0 && result.answers.length === 0 && result.authorities[0]?.type === 'SOA'
}

describe('cluster records: Services', () => {
  it('answers a Service name with its ClusterIP, TTL 5, whatever the case and trailing dot', () => {
    const result = answered('Web.Default.SVC.cluster.local.')
    expect(result.rcode).toBe(0)
    expect(result.answers).toEqual([{name: 'Web.Default.SVC.cluster.local.', ttl: 5, type: 'A', address: '10.96.0.20'}])
  })

  it('answers a headless Service with every ready endpoint address', () => {
    expect(data(answered('db.default.svc.cluster.local'))).toEqual([
      {type: 'A', address: '10.244.0.5'}, {type: 'A', address: '10.244.0.6'}, {type: 'A', address: '10.244.0.7'},
    ])
  })

  it('names endpoints by hostname, by their pod\'s hostname when its subdomain is the Service, else by dashed address', () => {
    expect(data(answered('db-0.db.default.svc.cluster.local'))).toEqual([{type: 'A', address: '10.244.0.5'}])
    expect(data(answered('db-1.db.default.svc.cluster.local'))).toEqual([{type: 'A', address: '10.244.0.6'}])
    expect(isNxdomain('loose.db.default.svc.cluster.local')).toBe(true)
    expect(data(answered('10-244-0-7.db.default.svc.cluster.local'))).toEqual([{type: 'A', address: '10.244.0.7'}])
    // CoreDNS answers endpoint names under ClusterIP Services too.
    expect(data(answered('10-244-0-10.web.default.svc.cluster.local'))).toEqual([{type: 'A', address: '10.244.0.10'}])
  })

  it('answers NXDOMAIN for a headless Service without ready endpoints', () => {
    expect(isNxdomain('empty.default.svc.cluster.local')).toBe(true)
  })

  it('answers a headless Service without ports with addresses but no SRV records', () => {
    expect(data(answered('bare.default.svc.cluster.local'))).toEqual([{type: 'A', address: '10.244.0.9'}])
    expect(isNodata('bare.default.svc.cluster.local', DnsType.SRV)).toBe(true)
  })

  it('answers AAAA for an IPv6 ClusterIP and NODATA for the family a Service lacks', () => {
    expect(data(answered('six.default.svc.cluster.local', DnsType.AAAA))).toEqual([{type: 'AAAA', address: 'fd00::20'}])
    expect(isNodata('six.default.svc.cluster.local')).toBe(true)
    expect(isNodata('web.default.svc.cluster.local', DnsType.AAAA)).toBe(true)
  })
})

describe('cluster records: ExternalName', () => {
  it('answers with a CNAME and asks the caller to chase a target outside the zone', () => {
    const result = answered('ext.default.svc.cluster.local')
    expect(data(result)).toEqual([{type: 'CNAME', target: 'example.com'}])
    expect(result.chase).toEqual({name: 'example.com', type: DnsType.A})
    expect(data(answered('ext.default.svc.cluster.local', DnsType.CNAME))).toEqual([{type: 'CNAME', target: 'example.com'}])
  })

  it('follows a target inside the zone itself', () => {
    const result = answered('alias.default.svc.cluster.local')
    expect(data(result)).toEqual([{type: 'CNAME', target: 'web.default.svc.cluster.local'}, {type: 'A', address: '10.96.0.20'}])
    expect(result.answers[1]!.name).toBe('web.default.svc.cluster.local')
    expect(result.chase).toBeUndefined()
  })

  it('gives an ExternalName holding an address no record, as CoreDNS does', () => {
    expect(isNxdomain('byip.default.svc.cluster.local')).toBe(true)
  })

  it('answers NODATA for SRV and a CNAME query for a Service that is not an alias', () => {
    expect(isNodata('ext.default.svc.cluster.local', DnsType.SRV)).toBe(true)
    expect(isNodata('web.default.svc.cluster.local', DnsType.CNAME)).toBe(true)
  })
})

describe('cluster records: SRV', () => {
  it('answers a named port with the Service as target and its address as additional record', () => {
    const result = answered('_http._tcp.web.default.svc.cluster.local', DnsType.SRV)
    expect(data(result)).toEqual([{type: 'SRV', priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local'}])
    expect(result.additionals).toEqual([{name: 'web.default.svc.cluster.local', ttl: 5, type: 'A', address: '10.96.0.20'}])
  })

  it('answers the bare Service name with every port, unnamed ones included, sharing the weight', () => {
    const result = answered('web.default.svc.cluster.local', DnsType.SRV)
    expect(data(result).map((r) => (r as {port: number; weight: number}))).toMatchObject([{port: 80, weight: 50}, {port: 8080, weight: 50}])
  })

  it('answers NXDOMAIN for a port or protocol the Service does not have', () => {
    expect(isNxdomain('_http._udp.web.default.svc.cluster.local', DnsType.SRV)).toBe(true)
    expect(isNxdomain('_grpc._tcp.web.default.svc.cluster.local', DnsType.SRV)).toBe(true)
  })

  it('answers a headless Service with one record per endpoint, carrying the endpoint port', () => {
    const result = answered('_mysql._tcp.db.default.svc.cluster.local', DnsType.SRV)
    expect(data(result)).toEqual(['db-0', 'db-1', '10-244-0-7'].map((h) => (
      {type: 'SRV', priority: 0, weight: 33, port: 13306, target: `${h}.db.default.svc.cluster.local`})))
    expect(result.additionals.map((r) => [r.name, r.type === 'A' && r.address])).toEqual([
      ['db-0.db.default.svc.cluster.local', '10.244.0.5'], ['db-1.db.default.svc.cluster.local', '10.244.0.6'],
      ['10-244-0-7.db.default.svc.cluster.local', '10.244.0.7'],
    ])
  })
})

describe('cluster records: PTR and pods', () => {
  it('answers PTR for ClusterIPs and endpoint addresses', () => {
    expect(data(answered('20.0.96.10.in-addr.arpa', DnsType.PTR))).toEqual([{type: 'PTR', target: 'web.default.svc.cluster.local'}])
    expect(data(answered('5.0.244.10.in-addr.arpa.', DnsType.PTR))).toEqual([{type: 'PTR', target: 'db-0.db.default.svc.cluster.local'}])
    const six = `0.2.0.0.${'0.'.repeat(24)}0.0.d.f.ip6.arpa`
    expect(data(answered(six, DnsType.PTR))).toEqual([{type: 'PTR', target: 'six.default.svc.cluster.local'}])
  })

  it('leaves unknown addresses and other types in reverse zones to the upstream', () => {
    expect(lookup('1.0.0.127.in-addr.arpa', DnsType.PTR)).toEqual({kind: 'forward'})
    expect(lookup('20.0.96.10.in-addr.arpa', DnsType.A)).toEqual({kind: 'forward'})
    expect(lookup('96.10.in-addr.arpa', DnsType.PTR)).toEqual({kind: 'forward'})
  })

  it('answers dashed pod addresses in existing namespaces (pods insecure)', () => {
    expect(data(answered('10-244-0-99.default.pod.cluster.local'))).toEqual([{type: 'A', address: '10.244.0.99'}])
    expect(data(answered('fd00--5.default.pod.cluster.local', DnsType.AAAA))).toEqual([{type: 'AAAA', address: 'fd00::5'}])
    expect(isNodata('10-244-0-99.default.pod.cluster.local', DnsType.AAAA)).toBe(true)
    expect(isNxdomain('10-244-0-99.missing.pod.cluster.local')).toBe(true)
    expect(isNxdomain('web.default.pod.cluster.local')).toBe(true)
    expect(isNxdomain('x.10-244-0-99.default.pod.cluster.local')).toBe(true)
  })
})

describe('cluster records: NXDOMAIN versus NODATA', () => {
  it('answers NODATA for the zone, svc, pod and namespace names that exist without records', () => {
    for (const name of ['cluster.local', 'svc.cluster.local', 'pod.cluster.local', 'default.svc.cluster.local', 'quiet.pod.cluster.local']) {
      expect(isNodata(name), name).toBe(true)
    }
  })

  it('answers NXDOMAIN with the SOA for names that do not exist', () => {
    for (const name of ['nope.default.svc.cluster.local', 'web.missing.svc.cluster.local', 'missing.svc.cluster.local',
      'foo.cluster.local', 'a.b._http._tcp.web.default.svc.cluster.local']) {
      expect(isNxdomain(name), name).toBe(true)
    }
    expect(answered('nope.default.svc.cluster.local').authorities).toEqual([{
      name: 'cluster.local', ttl: 5, type: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local',
      serial: 77, refresh: 7200, retry: 1800, expire: 86400, minimum: 5,
    }])
  })

  it('decides other types by whether the name exists', () => {
    expect(isNodata('web.default.svc.cluster.local', DnsType.MX)).toBe(true)
    expect(isNxdomain('nope.default.svc.cluster.local', DnsType.MX)).toBe(true)
    expect(isNodata('web.default.svc.cluster.local', DnsType.PTR)).toBe(true)
    expect(isNxdomain('nope.default.svc.cluster.local', DnsType.NS)).toBe(true)
  })

  it('answers SOA only at the apex and NODATA for SOA anywhere else, as CoreDNS does', () => {
    expect(data(answered('cluster.local', DnsType.SOA))).toMatchObject([{type: 'SOA', serial: 77}])
    expect(isNodata('nope.default.svc.cluster.local', DnsType.SOA)).toBe(true)
  })

  it('answers TXT with the schema version and otherwise NODATA for names with targets, NXDOMAIN for the rest', () => {
    expect(answered('dns-version.cluster.local', DnsType.TXT).answers).toEqual([{name: 'dns-version.cluster.local', ttl: 28800, type: 'TXT', texts: ['1.1.0']}])
    expect(isNodata('web.default.svc.cluster.local', DnsType.TXT)).toBe(true)
    expect(isNxdomain('default.svc.cluster.local', DnsType.TXT)).toBe(true)
  })
})

describe('cluster records: the zone itself', () => {
  it('names the cluster DNS Service as the zone\'s name server', () => {
    const ns = answered('cluster.local', DnsType.NS)
    expect(data(ns)).toEqual([{type: 'NS', target: 'ns.dns.cluster.local'}])
    expect(ns.additionals).toEqual([{name: 'ns.dns.cluster.local', ttl: 5, type: 'A', address: '10.96.0.10'}])
    expect(data(answered('ns.dns.cluster.local'))).toEqual([{type: 'A', address: '10.96.0.10'}])
  })

  it('refuses zone transfers and forwards every name outside the zone', () => {
    expect(lookup('cluster.local', DnsType.AXFR)).toEqual({kind: 'refused'})
    expect(lookup('example.com')).toEqual({kind: 'forward'})
    expect(lookup('notcluster.local')).toEqual({kind: 'forward'})
  })

  it('serves another cluster domain when told to', () => {
    const other = buildClusterRecords(clusterSnapshot(), {zone: 'kcluster.test.', ttl: 30})
    expect(other.lookup({name: 'web.default.svc.kcluster.test', type: DnsType.A, class: 1})).toMatchObject({
      kind: 'answer', answers: [{ttl: 30, address: '10.96.0.20'}],
    })
    expect(other.lookup({name: 'web.default.svc.cluster.local', type: DnsType.A, class: 1})).toEqual({kind: 'forward'})
  })
})
