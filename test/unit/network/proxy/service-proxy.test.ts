import net from 'node:net'
import dgram from 'node:dgram'
import {afterEach, describe, expect, it} from 'vitest'
import {ServiceProxy} from '../../../../src/cluster/network/proxy/service-proxy.js'
import {listenError, ProxyListenError} from '../../../../src/cluster/network/proxy/listen-error.js'
import {ask, outcome, tcpBackend, udpBackend, udpClient, type TcpBackend} from './backends.js'

const HOST = '127.0.0.1'
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function backends(n: number): Promise<TcpBackend[]> {
  const all = await Promise.all(Array.from({length: n}, (_, i) => tcpBackend(`b${i + 1}`)))
  cleanups.push(() => Promise.all(all.map((b) => b.close())))
  return all
}

async function proxy(options: Partial<Parameters<typeof ServiceProxy.listen>[0]> = {}): Promise<ServiceProxy> {
  const p = await ServiceProxy.listen({host: HOST, port: 0, protocol: 'TCP', ...options})
  cleanups.push(() => p.close())
  return p
}

/** A TCP server with custom behaviour whose connections are destroyed at cleanup, so no test can hang there. */
async function rawServer(onConnection: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>()
  const state = {accepted: 0, endpoint: {ip: HOST, port: 0}}
  const server = net.createServer((s) => {
    state.accepted++
    sockets.add(s)
    s.on('error', () => {})
    onConnection(s)
  })
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve))
  state.endpoint.port = (server.address() as net.AddressInfo).port
  cleanups.push(() => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(resolve))))
  return state
}

/** `count` asks, `batch` at a time; returns how many answers each backend name gave. */
async function spread(port: number, count: number, batch = 10): Promise<Record<string, number>> {
  const tally: Record<string, number> = {}
  for (let done = 0; done < count; done += batch) {
    const answers = await Promise.all(Array.from({length: Math.min(batch, count - done)}, () => ask(port, 'x')))
    for (const answer of answers) {
      const name = answer.split(':')[0]!
      tally[name] = (tally[name] ?? 0) + 1
    }
  }
  return tally
}

describe('ServiceProxy over TCP', () => {
  it('spreads 100 connections evenly over 3 backends', async () => {
    const bs = await backends(3)
    const p = await proxy({endpoints: bs.map((b) => b.endpoint)})
    expect(await spread(p.port, 100)).toEqual({b1: 34, b2: 33, b3: 33})
    expect(bs.map((b) => b.accepted)).toEqual([34, 33, 33])
    // Both directions ended, so every proxied connection is gone, none left half-open.
    await expect.poll(() => p.active).toBe(0)
  })

  it('carries the request to the backend and the answer back after the client half-closes', async () => {
    const [b] = await backends(1)
    const p = await proxy({endpoints: [b!.endpoint]})
    const big = 'z'.repeat(2_000_000)
    expect(await ask(p.port, 'ping')).toBe('b1:ping')
    expect(await ask(p.port, big)).toBe(`b1:${big}`)
  })

  it('sends every connection of one client to one backend under ClientIP affinity', async () => {
    const bs = await backends(3)
    const p = await proxy({endpoints: bs.map((b) => b.endpoint), affinity: {type: 'ClientIP', timeoutSeconds: 60}})
    const tally = await spread(p.port, 20, 5)
    expect(Object.values(tally)).toEqual([20])
  })

  it('sends no new connection to a backend an update removed, and lets an open one finish', async () => {
    const bs = await backends(3)
    const p = await proxy({endpoints: bs.map((b) => b.endpoint)})
    // An open connection to b1, mid-request, when b1 is removed.
    const open = net.connect({host: HOST, port: p.port, allowHalfOpen: true})
    const answer = new Promise<string>((resolve, reject) => {
      let text = ''
      open.on('data', (c) => (text += c))
      open.on('end', () => resolve(text))
      open.on('error', reject)
    })
    open.write('still ')
    await expect.poll(() => bs[0]!.accepted).toBe(1)
    p.update([bs[1]!.endpoint, bs[2]!.endpoint])
    expect(p.endpoints).toEqual([bs[1]!.endpoint, bs[2]!.endpoint])
    const tally = await spread(p.port, 30)
    expect(tally.b1).toBeUndefined()
    expect(tally.b2! + tally.b3!).toBe(30)
    expect(bs[0]!.accepted).toBe(1)
    open.end('here')
    expect(await answer).toBe('b1:still here')
  })

  it('resets connections at once while the Service has no endpoint, and serves them once it has one', async () => {
    const [b] = await backends(1)
    const p = await proxy({endpoints: []})
    const started = Date.now()
    expect(await outcome(p.port)).toBe('ECONNRESET')
    expect(Date.now() - started).toBeLessThan(1000)
    p.update([b!.endpoint])
    expect(await ask(p.port)).toBe('b1:hello')
  })

  it('resets the client when the endpoint refuses the connection', async () => {
    const [b] = await backends(1)
    const dead = b!.endpoint
    await b!.close()
    const p = await proxy({endpoints: [dead]})
    expect(await outcome(p.port)).toBe('ECONNRESET')
    expect(p.active).toBe(0)
  })

  it('resets the client when the backend resets mid-connection', async () => {
    const rude = await rawServer((s) => s.once('data', () => s.resetAndDestroy()))
    const p = await proxy({endpoints: [rude.endpoint]})
    await expect(ask(p.port, 'hi')).rejects.toMatchObject({code: 'ECONNRESET'})
  })

  it('closes the backend side when the client resets', async () => {
    let backendClosed!: () => void
    const closed = new Promise<void>((resolve) => (backendClosed = resolve))
    const server = await rawServer((s) => {
      s.on('close', () => backendClosed())
      s.resume()
    })
    const p = await proxy({endpoints: [server.endpoint]})
    const client = net.connect({host: HOST, port: p.port})
    client.on('error', () => {})
    await new Promise((resolve) => client.once('connect', resolve))
    client.write('x')
    await expect.poll(() => server.accepted).toBe(1)
    client.resetAndDestroy()
    await closed
    await expect.poll(() => p.active).toBe(0)
  })

  it('rejects with EADDRINUSE when the port is taken', async () => {
    const first = await proxy()
    const error = await ServiceProxy.listen({host: HOST, port: first.port, protocol: 'TCP'}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProxyListenError)
    expect(error).toMatchObject({code: 'EADDRINUSE', address: {host: HOST, port: first.port, protocol: 'TCP'}})
    expect((error as Error).message).toBe(`listen TCP 127.0.0.1:${first.port}: address already in use (EADDRINUSE)`)
  })

  it('frees the port and resets open connections on close', async () => {
    const [b] = await backends(1)
    const p = await ServiceProxy.listen({host: HOST, port: 0, protocol: 'TCP', endpoints: [b!.endpoint]})
    const open = net.connect({host: HOST, port: p.port, allowHalfOpen: true})
    const ended = new Promise<string>((resolve) => {
      open.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
      open.on('end', () => resolve('end'))
    })
    open.write('x')
    await expect.poll(() => p.active).toBe(1)
    await p.close()
    await p.close()
    expect(await ended).toBe('ECONNRESET')
    expect(await outcome(p.port)).toBe('ECONNREFUSED')
    const again = net.createServer()
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject)
      again.listen(p.port, HOST, resolve)
    })
    await new Promise((resolve) => again.close(resolve))
  })
})

describe('ServiceProxy over UDP', () => {
  it('carries datagrams both ways, keeping one client on one backend and spreading clients', async () => {
    const bs = await Promise.all([udpBackend('u1'), udpBackend('u2')])
    cleanups.push(() => Promise.all(bs.map((b) => b.close())))
    const p = await proxy({protocol: 'UDP', endpoints: bs.map((b) => b.endpoint)})
    const [c1, c2] = await Promise.all([udpClient(), udpClient()])
    cleanups.push(() => (c1.close(), c2.close()))
    expect(await c1.send(p.port, 'one')).toBe('u1:one')
    expect(await c1.send(p.port, 'two')).toBe('u1:two')
    expect(await c2.send(p.port, 'three')).toBe('u2:three')
    expect(p.active).toBe(2)
  })

  it('moves a flow whose backend was removed to a remaining one', async () => {
    const bs = await Promise.all([udpBackend('u1'), udpBackend('u2')])
    cleanups.push(() => Promise.all(bs.map((b) => b.close())))
    const p = await proxy({protocol: 'UDP', endpoints: bs.map((b) => b.endpoint)})
    const c = await udpClient()
    cleanups.push(() => c.close())
    expect(await c.send(p.port, 'a')).toBe('u1:a')
    p.update([bs[1]!.endpoint])
    expect(await c.send(p.port, 'b')).toBe('u2:b')
  })

  it('closes a flow after its idle timeout', async () => {
    const b = await udpBackend('u1')
    cleanups.push(() => b.close())
    const p = await proxy({protocol: 'UDP', endpoints: [b.endpoint], udpIdleTimeoutMs: 100})
    const c = await udpClient()
    cleanups.push(() => c.close())
    expect(await c.send(p.port, 'a')).toBe('u1:a')
    expect(p.active).toBe(1)
    await expect.poll(() => p.active, {timeout: 2000}).toBe(0)
    expect(await c.send(p.port, 'b')).toBe('u1:b')
  })

  it('reports EADDRINUSE and frees the port on close', async () => {
    const p = await ServiceProxy.listen({host: HOST, port: 0, protocol: 'UDP'})
    await expect(ServiceProxy.listen({host: HOST, port: p.port, protocol: 'UDP'})).rejects.toMatchObject({code: 'EADDRINUSE'})
    await p.close()
    const again = dgram.createSocket('udp4')
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject)
      again.bind(p.port, HOST, resolve)
    })
    await new Promise<void>((resolve) => again.close(resolve))
  })
})

describe('listenError', () => {
  it('reads like an event message for a port a non-root user may not bind', () => {
    const cause = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {code: 'EACCES'})
    const error = listenError({host: '127.0.0.1', port: 80, protocol: 'TCP'}, cause)
    expect(error).toMatchObject({name: 'ProxyListenError', code: 'EACCES', cause})
    expect(error.message).toBe('listen TCP 127.0.0.1:80: permission denied (EACCES)')
  })
})
