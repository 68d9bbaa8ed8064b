import {createServer, type Http2Server} from 'node:http2'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {grpcProbe} from '../../../../src/cluster/agent/probes/grpc-probe.js'
import {freePort} from './free-port.js'

// A grpc.health.v1 server by hand: services named in the request answer with the status in this table.
const STATUS: Record<string, number> = {'': 1, down: 2}
let server: Http2Server
let port: number

function serviceOf(frame: Buffer): string {
  const message = frame.subarray(5)
  return message[0] === 0x0a ? message.subarray(2, 2 + (message[1] ?? 0)).toString('utf8') : ''
}

beforeAll(async () => {
  server = createServer()
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = []
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
        stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service'}, {endStream: true})
        return
      }
      const status = STATUS[serviceOf(Buffer.concat(chunks))]
      if (status === undefined) {
        stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'unknown service'}, {endStream: true})
        return
      }
      stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true})
      stream.on('wantTrailers', () => stream.sendTrailers({'grpc-status': '0'}))
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, status]))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
})

describe('grpcProbe', () => {
  it('succeeds when the server answers SERVING', async () => {
    expect(await grpcProbe('127.0.0.1', port, '', 1000)).toEqual({result: 'success', output: 'service healthy'})
  })

  it('fails when the service is NOT_SERVING, with the kubelet\'s message', async () => {
    expect(await grpcProbe('127.0.0.1', port, 'down', 1000)).toEqual({result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")'})
  })

  it('fails with the status of an rpc error', async () => {
    expect(await grpcProbe('127.0.0.1', port, 'nope', 1000)).toEqual({result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service'})
  })

  it('fails as a connect timeout when nothing listens', async () => {
    const closed = await freePort()
    expect(await grpcProbe('127.0.0.1', closed, '', 1000)).toEqual({result: 'failure', output: `timeout: failed to connect service "127.0.0.1:${closed}" within 1s: context deadline exceeded`})
  })
})
