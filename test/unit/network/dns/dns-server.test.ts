import {createSocket} from 'node:dgram'
import {Resolver} from 'node:dns/promises'
import {connect} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildClusterRecords, type ClusterRecords} from '../../../../src/cluster/network/dns/cluster-records.js'
import {NO_FLAGS, encodeDnsMessage, parseDnsMessage, type DnsMessage} from '../../../../src/cluster/network/dns/dns-message.js'
import {DnsTcpDeframer, frameDnsMessage} from '../../../../src/cluster/network/dns/dns-tcp-framing.js'
import {startDnsServer, type DnsServer} from '../../../../src/cluster/network/dns/dns-server.js'
import type {ClusterDnsSnapshot} from '../../../../src/cluster/network/dns/dns-snapshot.js'
import {clusterSnapshot} from './cluster-fixture.js'
import {startFakeUpstream, type FakeUpstream} from './fake-upstream.js'

function resolverFor(port: number): Resolver {
  const resolver = new Resolver({timeout: 3000, tries: 1})
  resolver.setServers([`127.0.0.1:${port}`])
  return resolver
}

function query(id: number, name: string, type = 1): Buffer {
  return encodeDnsMessage({id, flags: {...NO_FLAGS, rd: true}, questions: [{name, type, class: 1}], answers: [], authorities: [], additionals: []})
}

// Sends one datagram and waits for a reply, or resolves undefined after `waitMs`.
function udpExchange(port: number, packet: Buffer, waitMs = 500): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    const timer = setTimeout(() => finish(undefined), waitMs)
    const finish = (reply: Buffer | undefined): void => {
      clearTimeout(timer)
      socket.close()
      resolve(reply)
    }
    socket.on('message', (reply) => finish(reply))
    socket.send(packet, port, '127.0.0.1')
  })
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (err) {
    return (err as NodeJS.ErrnoException).code
  }
  return undefined
}

const BIG = Array.from({length: 100}, (_, i) => `198.51.100.${i + 1}`)

describe('DNS server with a forwarding upstream', () => {
  let upstream: FakeUpstream
  let server: DnsServer
  let snapshot: ClusterDnsSnapshot = clusterSnapshot()
  let records: ClusterRecords = buildClusterRecords(snapshot)
  let resolver: Resolver

  beforeAll(async () => {
    upstream = await startFakeUpstream({
      'example.com': [{name: 'example.com', ttl: 60, type: 'A', address: '192.0.2.1'}],
      'big.example': BIG.map((address) => ({name: 'big.example', ttl: 60, type: 'A', address})),
      '1.2.0.192.in-addr.arpa': [{name: '1.2.0.192.in-addr.arpa', ttl: 60, type: 'PTR', target: 'host.example'}],
    })
    server = await startDnsServer({host: '127.0.0.1', port: 0, records: () => records, forward: {host: '127.0.0.1', port: upstream.port}, timeoutMs: 1000})
    resolver = resolverFor(server.port)
  })

  afterAll(async () => {
    await server?.close()
    await upstream?.close()
  })

  it('resolves Services, headless endpoints, SRV, CNAME and PTR records for Node\'s resolver', async () => {
    expect(await resolver.resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.20'])
    expect((await resolver.resolve4('db.default.svc.cluster.local')).sort()).toEqual(['10.244.0.5', '10.244.0.6', '10.244.0.7'])
    expect(await resolver.resolveSrv('_http._tcp.web.default.svc.cluster.local')).toEqual([
      {name: 'web.default.svc.cluster.local', port: 80, priority: 0, weight: 100},
    ])
    expect(await resolver.resolveCname('ext.default.svc.cluster.local')).toEqual(['example.com'])
    expect(await resolver.reverse('10.96.0.20')).toEqual(['web.default.svc.cluster.local'])
  })

  it('answers NXDOMAIN and NODATA as the resolver expects them', async () => {
    expect(await errorCode(resolver.resolve4('nope.default.svc.cluster.local'))).toBe('ENOTFOUND')
    expect(await errorCode(resolver.resolve6('web.default.svc.cluster.local'))).toBe('ENODATA')
  })

  it('forwards other names upstream and relays the answers, but never asks upstream about cluster names', async () => {
    expect(await resolver.resolve4('example.com')).toEqual(['192.0.2.1'])
    expect(await resolver.reverse('192.0.2.1')).toEqual(['host.example'])
    expect(await errorCode(resolver.resolve4('missing.example'))).toBe('ENOTFOUND')
    expect(upstream.asked).toEqual(expect.arrayContaining(['example.com', '1.2.0.192.in-addr.arpa', 'missing.example']))
    expect(upstream.asked.filter((name) => name.endsWith('cluster.local'))).toEqual([])
  })

  it('follows an ExternalName to its target\'s addresses through the upstream', async () => {
    expect(await resolver.resolve4('ext.default.svc.cluster.local')).toEqual(['192.0.2.1'])
  })

  it('sends answers too large for UDP over TCP when the client retries there', async () => {
    const ips = Array.from({length: 300}, (_, i) => `10.244.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`)
    snapshot = {...snapshot, endpoints: [...snapshot.endpoints, {namespace: 'default', service: 'empty', addresses: ips.map((ip) => ({ip})), ports: []}]}
    records = buildClusterRecords(snapshot)
    const udpReply = parseDnsMessage((await udpExchange(server.port, query(7, 'empty.default.svc.cluster.local')))!)
    expect(udpReply.flags.tc).toBe(true)
    expect(udpReply.answers.length).toBeLessThan(300)
    expect((await resolver.resolve4('empty.default.svc.cluster.local')).sort()).toEqual([...ips].sort())
  })

  it('relays a truncated upstream answer over UDP and fetches it whole over TCP for TCP clients', async () => {
    const udpReply = parseDnsMessage((await udpExchange(server.port, query(8, 'big.example')))!)
    expect(udpReply).toMatchObject({id: 8, flags: {tc: true}, answers: []})
    expect((await resolver.resolve4('big.example')).sort()).toEqual([...BIG].sort())
  })

  it('answers pipelined queries on one TCP connection', async () => {
    const socket = connect({host: '127.0.0.1', port: server.port})
    const deframer = new DnsTcpDeframer()
    const replies: DnsMessage[] = []
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no TCP replies')), 3000)
      socket.on('data', (chunk) => {
        replies.push(...deframer.push(chunk).map((m) => parseDnsMessage(m)))
        if (replies.length === 2) {
          clearTimeout(timer)
          resolve()
        }
      })
      socket.write(Buffer.concat([frameDnsMessage(query(1, 'web.default.svc.cluster.local')), frameDnsMessage(query(2, 'example.com'))]))
    })
    socket.destroy()
    const byId = new Map(replies.map((r) => [r.id, r]))
    expect(byId.get(1)?.answers).toMatchObject([{type: 'A', address: '10.96.0.20'}])
    expect(byId.get(2)?.answers).toMatchObject([{type: 'A', address: '192.0.2.1'}])
  })

  it('drops packets without a header, answers FORMERR to unreadable ones, and keeps answering', async () => {
    expect(await udpExchange(server.port, Buffer.from([1, 2, 3]), 200)).toBeUndefined()
    const bad = Buffer.from([0x42, 0x42, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, 0x61])
    const formerr = parseDnsMessage((await udpExchange(server.port, bad))!)
    expect(formerr).toMatchObject({id: 0x4242, flags: {qr: true, rcode: 1}})
    const two = encodeDnsMessage({...parseDnsMessage(query(9, 'a.example')), questions: [{name: 'a', type: 1, class: 1}, {name: 'b', type: 1, class: 1}]})
    expect(parseDnsMessage((await udpExchange(server.port, two))!).flags.rcode).toBe(1)
    const notify = query(10, 'cluster.local')
    notify[2] = (notify[2]! & 0x87) | (4 << 3)
    expect(parseDnsMessage((await udpExchange(server.port, notify))!).flags.rcode).toBe(4)
    expect(await resolver.resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.20'])
  })

  it('uses the records current at each query', async () => {
    const moved = {...snapshot, services: snapshot.services.map((s) => (s.name === 'web' ? {...s, clusterIPs: ['10.96.0.99']} : s))}
    records = buildClusterRecords(moved)
    expect(await resolver.resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.99'])
  })
})

describe('DNS server without a useful upstream', () => {
  it('answers SERVFAIL when the upstream stays silent past the timeout', async () => {
    const silent = await startFakeUpstream({}, {silent: true})
    const records = buildClusterRecords(clusterSnapshot())
    const server = await startDnsServer({host: '127.0.0.1', port: 0, records: () => records, forward: {host: '127.0.0.1', port: silent.port}, timeoutMs: 200})
    try {
      const started = Date.now()
      expect(await errorCode(resolverFor(server.port).resolve4('example.com'))).toBe('ESERVFAIL')
      expect(Date.now() - started).toBeLessThan(2000)
      expect(silent.asked).toEqual(['example.com'])
      expect(await resolverFor(server.port).resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.20'])
    } finally {
      await server.close()
      await silent.close()
    }
  })

  it('refuses names outside the cluster when it has no upstream', async () => {
    const records = buildClusterRecords(clusterSnapshot())
    const server = await startDnsServer({host: '127.0.0.1', port: 0, records: () => records, forward: undefined})
    try {
      expect(await errorCode(resolverFor(server.port).resolve4('example.com'))).toBe('EREFUSED')
      expect(await resolverFor(server.port).resolveCname('ext.default.svc.cluster.local')).toEqual(['example.com'])
    } finally {
      await server.close()
    }
  })

  it('fails to start on a port already taken, and frees its port on close', async () => {
    const records = buildClusterRecords(clusterSnapshot())
    const first = await startDnsServer({host: '127.0.0.1', port: 0, records: () => records})
    await expect(startDnsServer({host: '127.0.0.1', port: first.port, records: () => records})).rejects.toMatchObject({code: 'EADDRINUSE'})
    await first.close()
    const again = await startDnsServer({host: '127.0.0.1', port: first.port, records: () => records})
    expect(again.port).toBe(first.port)
    await again.close()
  })
})
