import {createSocket} from 'node:dgram'
import {Resolver} from 'node:dns/promises'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {NoopAddressHolder, type AddressHolder} from '../../../../src/cluster/network/net-agent/address-holder.js'
import {NetAgent} from '../../../../src/cluster/network/net-agent/net-agent.js'
import type {NetState} from '../../../../src/cluster/network/net-protocol.js'
import {tcpBackend, type TcpBackend} from '../proxy/backends.js'
import {askAt, connectOutcome, DNS_IP, freePort, netState, WEB_IP} from './net-fixtures.js'

const OTHER_DNS_IP = '127.0.0.24'

function resolverAt(host: string, port: number): Resolver {
  const r = new Resolver({timeout: 1000, tries: 1})
  r.setServers([`${host}:${port}`])
  return r
}

function withDns(state: NetState, dns: Partial<NetState['dns']>): NetState {
  return {...state, dns: {...state.dns, ...dns}}
}

describe('NetAgent', () => {
  let web: TcpBackend
  let webPort: number
  const agents: NetAgent[] = []
  const newAgent = (addresses: AddressHolder = new NoopAddressHolder(), dnsPort = 0): NetAgent => {
    const agent = new NetAgent({addresses, dnsPort})
    agents.push(agent)
    return agent
  }

  beforeAll(async () => {
    web = await tcpBackend('web')
  })
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()))
    webPort = await freePort(WEB_IP)
  })
  afterAll(async () => {
    await web?.close()
  })

  it('holds the addresses before any proxy or DNS server binds them', async () => {
    webPort = await freePort(WEB_IP)
    const seen: Array<{proxy: string; dns: unknown}> = []
    let agent!: NetAgent
    const holder: AddressHolder = {
      sync: async () => {
        seen.push({proxy: await connectOutcome(WEB_IP, webPort), dns: agent.dnsAddress()})
        return []
      },
    }
    agent = newAgent(holder)
    expect(await agent.apply(netState({web: web.endpoint, webPort}))).toEqual([])
    expect(seen).toEqual([{proxy: 'ECONNREFUSED', dns: undefined}])
    expect(await askAt(WEB_IP, webPort)).toBe('web:hello')
  })

  it('starts DNS on the first state with a listen address, keeps it while records change and moves it with the address', async () => {
    webPort = await freePort(WEB_IP)
    const agent = newAgent()
    const state = netState({web: web.endpoint, webPort})
    await agent.apply(withDns(state, {listen: ''}))
    expect(agent.dnsAddress()).toBeUndefined()

    await agent.apply(state)
    const first = agent.dnsAddress()!
    expect(first.host).toBe(DNS_IP)
    expect(await resolverAt(DNS_IP, first.port).resolve4('web.default.svc.cluster.local')).toEqual([WEB_IP])

    const renamed = structuredClone(state)
    renamed.dns.snapshot.services[1]!.name = 'www'
    await agent.apply(renamed)
    expect(agent.dnsAddress()).toEqual(first)
    expect(await resolverAt(DNS_IP, first.port).resolve4('www.default.svc.cluster.local')).toEqual([WEB_IP])
    await expect(resolverAt(DNS_IP, first.port).resolve4('web.default.svc.cluster.local')).rejects.toMatchObject({code: 'ENOTFOUND'})

    await agent.apply(withDns(renamed, {listen: OTHER_DNS_IP}))
    const moved = agent.dnsAddress()!
    expect(moved.host).toBe(OTHER_DNS_IP)
    expect(await resolverAt(OTHER_DNS_IP, moved.port).resolve4('www.default.svc.cluster.local')).toEqual([WEB_IP])
    expect(await connectOutcome(DNS_IP, first.port)).toBe('ECONNREFUSED')

    await agent.apply(withDns(renamed, {listen: ''}))
    expect(agent.dnsAddress()).toBeUndefined()
    expect(await connectOutcome(OTHER_DNS_IP, moved.port)).toBe('ECONNREFUSED')
  })

  it('answers for the zone the state names', async () => {
    webPort = await freePort(WEB_IP)
    const agent = newAgent()
    await agent.apply(withDns(netState({web: web.endpoint, webPort}), {zone: 'kc.test'}))
    const {port} = agent.dnsAddress()!
    expect(await resolverAt(DNS_IP, port).resolve4('web.default.svc.kc.test')).toEqual([WEB_IP])
  })

  it('reports a DNS address it cannot bind and binds it with a later state once it is free', async () => {
    webPort = await freePort(WEB_IP)
    const blocker = createSocket('udp4')
    await new Promise<void>((resolve) => blocker.bind(0, DNS_IP, resolve))
    const dnsPort = blocker.address().port
    const agent = newAgent(new NoopAddressHolder(), dnsPort)
    const state = netState({web: web.endpoint, webPort})
    const failures = await agent.apply(state)
    expect(failures).toEqual([{key: 'dns/listen', message: expect.stringContaining(`listen DNS on ${DNS_IP}:${dnsPort}: `)}])
    expect(agent.dnsAddress()).toBeUndefined()
    expect(await askAt(WEB_IP, webPort)).toBe('web:hello')

    await new Promise<void>((resolve) => blocker.close(() => resolve()))
    expect(await agent.apply(state)).toEqual([])
    expect(agent.dnsAddress()).toEqual({host: DNS_IP, port: dnsPort})
  })

  it('refuses a state without its frame and leaves a bad proxy entry out, never throwing', async () => {
    webPort = await freePort(WEB_IP)
    const agent = newAgent()
    expect(await agent.apply(null)).toEqual([{key: 'state', message: 'state refused: not an object'}])
    expect(await agent.apply({addresses: [], proxies: []})).toEqual([{key: 'state', message: 'state refused: dns must be an object'}])
    expect(agent.dnsAddress()).toBeUndefined()

    const state = netState({web: web.endpoint, webPort}) as unknown as {proxies: unknown[]}
    state.proxies.push({key: 'default/bad:x/TCP', host: WEB_IP, port: 70_000, protocol: 'TCP', endpoints: []})
    expect(await agent.apply(state)).toEqual([{key: 'default/bad:x/TCP', message: 'proxy left out: port 70000 is not a port number'}])
    expect(await askAt(WEB_IP, webPort)).toBe('web:hello')
  })

  it('reports a DNS snapshot the record builder cannot use and keeps the records it had', async () => {
    webPort = await freePort(WEB_IP)
    const agent = newAgent()
    const state = netState({web: web.endpoint, webPort})
    await agent.apply(state)
    const {port} = agent.dnsAddress()!
    const broken = structuredClone(state) as unknown as {dns: {snapshot: {services: unknown[]}}}
    broken.dns.snapshot.services.push({namespace: 42, name: null, clusterIPs: [], ports: []})
    const failures = await agent.apply(broken)
    expect(failures.map((f) => f.key)).toEqual(['dns/records'])
    expect(await resolverAt(DNS_IP, port).resolve4('web.default.svc.cluster.local')).toEqual([WEB_IP])
  })

  it('reports an address holder that throws and still applies the proxies', async () => {
    webPort = await freePort(WEB_IP)
    const agent = newAgent({sync: async () => Promise.reject(new Error('netlink gone'))})
    expect(await agent.apply(netState({web: web.endpoint, webPort}))).toEqual([{key: 'addresses', message: 'netlink gone'}])
    expect(await askAt(WEB_IP, webPort)).toBe('web:hello')
  })

  it('closes every proxy and the DNS server on close and applies nothing after', async () => {
    webPort = await freePort(WEB_IP)
    const agent = newAgent()
    await agent.apply(netState({web: web.endpoint, webPort}))
    const {port} = agent.dnsAddress()!
    await agent.close()
    expect(await connectOutcome(WEB_IP, webPort)).toBe('ECONNREFUSED')
    expect(await connectOutcome(DNS_IP, port)).toBe('ECONNREFUSED')
    expect(await agent.apply(netState({web: web.endpoint, webPort}))).toEqual([{key: 'state', message: 'state refused: kcluster-net is shutting down'}])
    expect(await connectOutcome(WEB_IP, webPort)).toBe('ECONNREFUSED')
  })
})
