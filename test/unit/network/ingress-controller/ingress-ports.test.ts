import net from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {IngressListenError, type IngressServer} from '../../../../src/cluster/network/ingress/ingress-server.js'
import {DEFAULT_PORT_PAIRS, IngressPortsUnavailableError, listenOnFirstFreePair, type PortPair} from '../../../../src/cluster/network/ingress-controller/ingress-ports.js'

const opened: net.Server[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A real listener on 127.0.0.1; rejects like startIngressServer when the port is taken. */
function listenPair(pair: PortPair): Promise<IngressServer> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', (e: NodeJS.ErrnoException) => reject(new IngressListenError(e.code ?? 'UNKNOWN', pair.http, e.message, {cause: e})))
    server.listen(pair.http, '127.0.0.1', () => {
      opened.push(server)
      const port = (server.address() as net.AddressInfo).port
      resolve({httpPort: port, httpsPort: pair.https, close: async () => undefined})
    })
  })
}

async function takenPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  opened.push(server)
  return (server.address() as net.AddressInfo).port
}

describe('listenOnFirstFreePair', () => {
  it('tries 80/443, then 8080/8443, then the pairs above, sixteen of them', () => {
    expect(DEFAULT_PORT_PAIRS.slice(0, 3)).toEqual([{http: 80, https: 443}, {http: 8080, https: 8443}, {http: 8081, https: 8444}])
    expect(DEFAULT_PORT_PAIRS.at(-1)).toEqual({http: 8095, https: 8458})
  })

  it('moves past a pair whose port is taken to the next one', async () => {
    const taken = await takenPort()
    const server = await listenOnFirstFreePair(listenPair, [{http: taken, https: 1}, {http: 0, https: 2}])
    expect(server.httpsPort).toBe(2)
    expect(server.httpPort).not.toBe(taken)
  })

  it('moves past a pair this user may not bind', async () => {
    const denied = async () => {
      throw new IngressListenError('EACCES', 80, 'permission denied')
    }
    let calls = 0
    const server = await listenOnFirstFreePair((pair) => (calls++ === 0 ? denied() : listenPair(pair)), [{http: 80, https: 443}, {http: 0, https: 9}])
    expect(server.httpsPort).toBe(9)
  })

  it('throws other failures as they are', async () => {
    const boom = new Error('certificate generation failed')
    await expect(listenOnFirstFreePair(async () => { throw boom }, [{http: 0, https: 0}])).rejects.toBe(boom)
  })

  it('gives up after the last pair, naming every pair tried', async () => {
    const a = await takenPort()
    const b = await takenPort()
    const error = await listenOnFirstFreePair(listenPair, [{http: a, https: 1}, {http: b, https: 2}]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IngressPortsUnavailableError)
    expect((error as IngressPortsUnavailableError).message).toBe(`no ingress port pair could be bound; tried ${a}/1 (EADDRINUSE on ${a}), ${b}/2 (EADDRINUSE on ${b})`)
  })
})
