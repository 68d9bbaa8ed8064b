import {Resolver} from 'node:dns/promises'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {NoopAddressHolder} from '../../../../src/cluster/network/net-agent/address-holder.js'
import {startControlServer, type ControlServer} from '../../../../src/cluster/network/net-agent/control-server.js'
import {NetAgent} from '../../../../src/cluster/network/net-agent/net-agent.js'
import {tcpBackend, type TcpBackend} from '../proxy/backends.js'
import {API_IP, askAt, connectOutcome, ControlClient, DNS_IP, freePort, netState, WEB_IP} from './net-fixtures.js'

const TOKEN = 'test-token-0123456789'

describe('kcluster-net control server', () => {
  let web: TcpBackend
  let api: TcpBackend
  let holder: NoopAddressHolder
  let agent: NetAgent
  let server: ControlServer
  let webPort: number
  let apiPort: number
  const clients: ControlClient[] = []

  const connect = async (): Promise<ControlClient> => {
    const client = await ControlClient.connect(server.port)
    clients.push(client)
    return client
  }
  const resolver = (): Resolver => {
    const r = new Resolver({timeout: 2000, tries: 1})
    r.setServers([`${DNS_IP}:${agent.dnsAddress()!.port}`])
    return r
  }

  beforeAll(async () => {
    web = await tcpBackend('web')
    api = await tcpBackend('api')
    webPort = await freePort(WEB_IP)
    apiPort = await freePort(API_IP)
    holder = new NoopAddressHolder()
    agent = new NetAgent({addresses: holder, dnsPort: 0})
    server = await startControlServer({host: '127.0.0.1', port: 0, token: TOKEN, apply: (state) => agent.apply(state), maxLineBytes: 1 << 20})
  })

  afterEach(() => {
    for (const c of clients.splice(0)) c.close()
  })

  afterAll(async () => {
    await server?.close()
    await agent?.close()
    await web?.close()
    await api?.close()
  })

  it('applies a state after the token: ClusterIP ports reach their backends and the DNS server resolves the Services', async () => {
    const client = await connect()
    client.send({token: TOKEN})
    client.send({state: netState({web: web.endpoint, webPort, api: {endpoint: api.endpoint, port: apiPort}}), generation: 1})
    expect(await client.report()).toEqual({generation: 1, failures: []})
    expect(holder.last).toEqual([DNS_IP, WEB_IP, API_IP])

    expect(await askAt(WEB_IP, webPort, 'one')).toBe('web:one')
    expect(await askAt(API_IP, apiPort, 'two')).toBe('api:two')
    expect(agent.dnsAddress()?.host).toBe(DNS_IP)
    expect(await resolver().resolve4('web.default.svc.cluster.local')).toEqual([WEB_IP])
    expect(await resolver().resolve4('api.default.svc.cluster.local')).toEqual([API_IP])
  })

  it('closes the port of a Service a later state leaves out and forgets its DNS name, keeping the DNS server where it was', async () => {
    const client = await connect()
    client.send({token: TOKEN})
    client.send({state: netState({web: web.endpoint, webPort, api: {endpoint: api.endpoint, port: apiPort}}), generation: 2})
    expect((await client.report()).generation).toBe(2)
    const dnsPort = agent.dnsAddress()!.port

    client.send({state: netState({web: web.endpoint, webPort}), generation: 3})
    expect(await client.report()).toEqual({generation: 3, failures: []})
    expect(await connectOutcome(API_IP, apiPort)).toBe('ECONNREFUSED')
    expect(await askAt(WEB_IP, webPort, 'still')).toBe('web:still')
    expect(agent.dnsAddress()).toEqual({host: DNS_IP, port: dnsPort})
    await expect(resolver().resolve4('api.default.svc.cluster.local')).rejects.toMatchObject({code: 'ENOTFOUND'})
    expect(await resolver().resolve4('web.default.svc.cluster.local')).toEqual([WEB_IP])
  })

  it('closes a connection whose first line is the wrong token, and applies nothing it sent', async () => {
    const before = holder.last
    const client = await connect()
    client.send({token: 'not-the-token'})
    client.send({state: {...netState({web: web.endpoint, webPort}), addresses: ['127.0.0.99']}, generation: 99})
    expect(await client.closedWithin()).toBe(true)
    expect(holder.last).toBe(before)
  })

  it('closes a connection that sends a state before any token', async () => {
    const client = await connect()
    client.send({state: netState({web: web.endpoint, webPort}), generation: 5})
    expect(await client.closedWithin()).toBe(true)
  })

  it('answers garbage and malformed commands with error reports and keeps serving the connection', async () => {
    const client = await connect()
    client.send({token: TOKEN})
    client.send('this is {not json')
    const garbage = await client.report()
    expect(garbage.generation).toBe(-1)
    expect(garbage.failures).toEqual([{key: 'command', message: expect.stringMatching(/^malformed command: /)}])
    client.send({generation: 7})
    expect(await client.report()).toEqual({generation: 7, failures: [{key: 'command', message: 'malformed command: no state'}]})
    client.send({state: {addresses: 'nope'}, generation: 8})
    expect(await client.report()).toEqual({generation: 8, failures: [{key: 'state', message: 'state refused: addresses must be a list of strings'}]})

    client.send({state: netState({web: web.endpoint, webPort}), generation: 9})
    expect(await client.report()).toEqual({generation: 9, failures: []})
    expect(await askAt(WEB_IP, webPort, 'ok')).toBe('web:ok')
  })

  it('reports a port that cannot be bound under its proxy key and still applies the rest', async () => {
    const client = await connect()
    client.send({token: TOKEN})
    const state = netState({web: web.endpoint, webPort})
    // The backend's own port on 127.0.0.1 is taken, so the proxy cannot listen there.
    state.proxies.push({key: 'default/taken:x/TCP', host: '127.0.0.1', port: web.endpoint.port, protocol: 'TCP', endpoints: [web.endpoint]})
    client.send({state, generation: 10})
    const report = await client.report()
    expect(report.generation).toBe(10)
    expect(report.failures).toEqual([{key: 'default/taken:x/TCP', message: expect.stringContaining('EADDRINUSE')}])
    expect(await askAt(WEB_IP, webPort, 'rest')).toBe('web:rest')
  })

  it('ends a connection whose line passes the limit after saying so, and takes new connections afterwards', async () => {
    const client = await connect()
    client.send({token: TOKEN})
    client.send('x'.repeat((1 << 20) + 10))
    const report = await client.report()
    expect(report.failures[0]?.message).toMatch(/longer than 1048576 bytes/)
    expect(await client.closedWithin()).toBe(true)

    const next = await connect()
    next.send({token: TOKEN})
    next.send({state: netState({web: web.endpoint, webPort}), generation: 11})
    expect(await next.report()).toEqual({generation: 11, failures: []})
  })

  it('serves several authenticated connections at once, the state that arrives last winning', async () => {
    const first = await connect()
    const second = await connect()
    first.send({token: TOKEN})
    second.send({token: TOKEN})
    first.send({state: netState({web: web.endpoint, webPort, api: {endpoint: api.endpoint, port: apiPort}}), generation: 20})
    expect((await first.report()).generation).toBe(20)
    second.send({state: netState({web: web.endpoint, webPort}), generation: 1})
    expect(await second.report()).toEqual({generation: 1, failures: []})
    expect(await connectOutcome(API_IP, apiPort)).toBe('ECONNREFUSED')
  })
})
