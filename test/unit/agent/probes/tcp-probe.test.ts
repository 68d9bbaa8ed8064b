import {createServer, type Server} from 'node:net'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {tcpProbe} from '../../../../src/cluster/agent/probes/tcp-probe.js'
import {freePort} from './free-port.js'

let server: Server
let port: number
let accepted = 0

beforeAll(async () => {
  server = createServer((socket) => {
    accepted++
    socket.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
})

describe('tcpProbe', () => {
  it('succeeds when a connection opens', async () => {
    expect(await tcpProbe('127.0.0.1', port, 1000)).toEqual({result: 'success', output: ''})
    expect(accepted).toBeGreaterThan(0)
  })

  it('fails with Go\'s dial error when the connection is refused', async () => {
    const closed = await freePort()
    expect(await tcpProbe('127.0.0.1', closed, 1000)).toEqual({result: 'failure', output: `dial tcp 127.0.0.1:${closed}: connect: connection refused`})
  })
})
