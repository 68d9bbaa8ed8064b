import {createServer, type Server, type Socket} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../../src/cluster/clock.js'
import {netComponent} from '../../../src/cluster/controlplane/in-cluster-network.js'
import {NetClient} from '../../../src/cluster/network/net-client.js'
import {pollUntil} from '../../support/eventually.js'

describe('kcluster-net in kcluster status', () => {
  const since = new Date('2026-01-01T00:00:00Z')
  const at = (ms: number) => new Date(since.getTime() + ms)

  it('is healthy while connected, and for a 10 s grace after the connection is lost', () => {
    expect(netComponent({connected: true, target: '10.200.127.254:7080'}, at(0))).toEqual({name: 'kcluster-net', healthy: true, message: 'connected to 10.200.127.254:7080'})
    expect(netComponent({connected: false, since}, at(9_999)).healthy).toBe(true)
  })

  it('is unhealthy once down longer than the grace, saying for how long, why, and what does not work', () => {
    expect(netComponent({connected: false, since, lastError: 'connect EHOSTUNREACH 10.200.127.254:7080'}, at(23_500))).toEqual({
      name: 'kcluster-net',
      healthy: false,
      message: 'not connected for 23s (connect EHOSTUNREACH 10.200.127.254:7080): ClusterIPs and cluster DNS do not answer',
    })
  })
})

describe('NetClient.connection()', () => {
  let server: Server | undefined
  let client: NetClient | undefined
  afterEach(async () => {
    client?.close()
    await new Promise((r) => (server ? server.close(r) : r(undefined)))
  })

  it('reports the open connection, then the loss and the reconnection attempts\' error once kcluster-net goes', async () => {
    const peers: Socket[] = []
    server = createServer((socket) => void peers.push(socket)).listen(0, '127.0.0.1')
    await new Promise((r) => server!.once('listening', r))
    const {port} = server.address() as {port: number}
    client = new NetClient({target: async () => ({host: '127.0.0.1', port}), token: 't', clock: systemClock})
    const before = client.connection()
    expect(before.connected).toBe(false)
    client.send({services: []} as never)
    expect(await pollUntil(async () => client!.connection().connected && client!.connection(), 'connected', 5000, 20)).toEqual({connected: true, target: `127.0.0.1:${port}`})
    // kcluster-net goes away: its end closes and nothing listens any more.
    const closed = new Promise((r) => server!.close(r))
    server = undefined
    for (const peer of peers) peer.destroy()
    await closed
    const lost = await pollUntil(async () => {
      const c = client!.connection()
      return !c.connected && c.lastError ? c : undefined
    }, 'the loss and a failed reconnection', 5000, 20)
    expect(lost).toMatchObject({connected: false, lastError: expect.stringContaining('ECONNREFUSED')})
  })
})
