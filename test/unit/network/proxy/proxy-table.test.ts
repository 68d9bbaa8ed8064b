import net from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import type {ProxyListenError} from '../../../../src/cluster/network/proxy/listen-error.js'
import {ProxyTable, type ProxyTableEntry} from '../../../../src/cluster/network/proxy/proxy-table.js'
import {ask, outcome, tcpBackend, udpBackend, udpClient, type TcpBackend} from './backends.js'

const HOST = '127.0.0.1'
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function table(): {table: ProxyTable; errors: Array<[string, ProxyListenError]>} {
  const errors: Array<[string, ProxyListenError]> = []
  const t = new ProxyTable({onListenError: (key, error) => errors.push([key, error])})
  cleanups.push(() => t.close())
  return {table: t, errors}
}

async function backends(n: number): Promise<TcpBackend[]> {
  const all = await Promise.all(Array.from({length: n}, (_, i) => tcpBackend(`b${i + 1}`)))
  cleanups.push(() => Promise.all(all.map((b) => b.close())))
  return all
}

/** A port that is free right now (bound and released). */
async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((resolve) => s.listen(0, HOST, resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise((resolve) => s.close(resolve))
  return port
}

/** Holds a TCP port until the test ends (or `release` is called). */
async function occupy(): Promise<{port: number; release(): Promise<void>}> {
  const s = net.createServer()
  await new Promise<void>((resolve) => s.listen(0, HOST, resolve))
  const release = () => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))
  cleanups.push(release)
  return {port: (s.address() as net.AddressInfo).port, release}
}

describe('ProxyTable', () => {
  it('opens a proxy per entry, updates endpoints in place and closes removed entries', async () => {
    const [b1, b2] = await backends(2)
    const {table: t} = table()
    const [webPort, apiPort] = [await freePort(), await freePort()]
    const web: ProxyTableEntry = {key: 'default/web:80', host: HOST, port: webPort, protocol: 'TCP', endpoints: [b1!.endpoint]}
    const api: ProxyTableEntry = {key: 'default/api:80', host: HOST, port: apiPort, protocol: 'TCP', endpoints: [b2!.endpoint]}

    expect(await t.sync([web, api])).toEqual({opened: ['default/web:80', 'default/api:80'], updated: [], closed: [], failed: []})
    expect(await ask(webPort)).toBe('b1:hello')
    expect(await ask(apiPort)).toBe('b2:hello')
    const proxy = t.get(web.key)

    const result = await t.sync([{...web, endpoints: [b2!.endpoint]}])
    expect(result).toEqual({opened: [], updated: ['default/web:80'], closed: ['default/api:80'], failed: []})
    expect(t.get(web.key)).toBe(proxy) // same listener, new endpoints
    expect(await ask(webPort)).toBe('b2:hello')
    expect(await outcome(apiPort)).toBe('ECONNREFUSED')
    expect(t.keys()).toEqual(['default/web:80'])
  })

  it('leaves an unchanged entry alone', async () => {
    const [b1] = await backends(1)
    const {table: t} = table()
    const entry: ProxyTableEntry = {key: 'k', host: HOST, port: 0, protocol: 'TCP', endpoints: [b1!.endpoint], affinity: {type: 'None'}}
    await t.sync([entry])
    expect(await t.sync([{...entry, endpoints: [{...b1!.endpoint}]}])).toEqual({opened: [], updated: [], closed: [], failed: []})
  })

  it('reopens an entry whose port changed', async () => {
    const [b1] = await backends(1)
    const {table: t} = table()
    const [first, second] = [await freePort(), await freePort()]
    const entry: ProxyTableEntry = {key: 'default/web:nodeport', host: HOST, port: first, protocol: 'TCP', endpoints: [b1!.endpoint]}
    await t.sync([entry])
    expect(await t.sync([{...entry, port: second}])).toEqual({opened: ['default/web:nodeport'], updated: [], closed: [], failed: []})
    expect(await ask(second)).toBe('b1:hello')
    expect(await outcome(first)).toBe('ECONNREFUSED')
  })

  it('hands a port from a removed entry to a new one in the same sync', async () => {
    const [b1, b2] = await backends(2)
    const {table: t, errors} = table()
    const port = await freePort()
    await t.sync([{key: 'old', host: HOST, port, protocol: 'TCP', endpoints: [b1!.endpoint]}])
    const result = await t.sync([{key: 'new', host: HOST, port, protocol: 'TCP', endpoints: [b2!.endpoint]}])
    expect(result).toMatchObject({opened: ['new'], closed: ['old'], failed: []})
    expect(errors).toEqual([])
    expect(await ask(port)).toBe('b2:hello')
  })

  it('reports a taken port through the callback once, retries it on each sync and opens it once free', async () => {
    const [b1] = await backends(1)
    const {table: t, errors} = table()
    const taken = await occupy()
    const entry: ProxyTableEntry = {key: 'default/lb:80', host: HOST, port: taken.port, protocol: 'TCP', endpoints: [b1!.endpoint]}

    const first = await t.sync([entry])
    expect(first.failed.map((f) => [f.key, f.error.code])).toEqual([['default/lb:80', 'EADDRINUSE']])
    expect(errors.map(([key, e]) => [key, e.code, e.message])).toEqual([
      ['default/lb:80', 'EADDRINUSE', `listen TCP 127.0.0.1:${taken.port}: address already in use (EADDRINUSE)`],
    ])
    expect([...t.failures().keys()]).toEqual(['default/lb:80'])

    expect((await t.sync([entry])).failed).toHaveLength(1)
    expect(errors).toHaveLength(1) // the same failure is not reported again

    await taken.release()
    expect((await t.sync([entry])).opened).toEqual(['default/lb:80'])
    expect(t.failures().size).toBe(0)
    expect(await ask(taken.port)).toBe('b1:hello')
  })

  it('forgets the failure of an entry that is no longer wanted', async () => {
    const {table: t} = table()
    const taken = await occupy()
    await t.sync([{key: 'x', host: HOST, port: taken.port, protocol: 'TCP', endpoints: []}])
    expect(t.failures().size).toBe(1)
    await t.sync([])
    expect(t.failures().size).toBe(0)
  })

  it('runs UDP entries next to TCP ones on the same port number', async () => {
    const [b1] = await backends(1)
    const u1 = await udpBackend('u1')
    cleanups.push(() => u1.close())
    const {table: t, errors} = table()
    const port = await freePort()
    await t.sync([
      {key: 'dns/tcp', host: HOST, port, protocol: 'TCP', endpoints: [b1!.endpoint]},
      {key: 'dns/udp', host: HOST, port, protocol: 'UDP', endpoints: [u1.endpoint]},
    ])
    expect(errors).toEqual([])
    const client = await udpClient()
    cleanups.push(() => client.close())
    expect(await client.send(port, 'q')).toBe('u1:q')
    expect(await ask(port, 'q')).toBe('b1:q')
  })

  it('closes every proxy on close and ignores later syncs', async () => {
    const {table: t} = table()
    const port = await freePort()
    await t.sync([{key: 'a', host: HOST, port, protocol: 'TCP', endpoints: []}])
    await t.close()
    expect(await outcome(port)).toBe('ECONNREFUSED')
    expect(await t.sync([{key: 'a', host: HOST, port, protocol: 'TCP', endpoints: []}])).toEqual({opened: [], updated: [], closed: [], failed: []})
    expect(t.keys()).toEqual([])
  })
})
