import net from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {SpdyConnection} from '../../../../src/cluster/apiserver/streams/spdy-connection.js'
import {
  decodeStreamHeaders,
  encodeControl,
  encodeData,
  encodeRstStream,
  encodeSynStream,
  FrameParser,
  FrameType,
  type SpdyFrame,
} from '../../../../src/cluster/apiserver/streams/spdy-frames.js'
import {HeaderCompressor, HeaderDecompressor} from '../../../../src/cluster/apiserver/streams/spdy-header-block.js'
import type {SpdyStream} from '../../../../src/cluster/apiserver/streams/spdy-stream.js'

/** A minimal SPDY client on a real loopback socket, like kubectl's spdystream. */
class FakeClient {
  readonly frames: SpdyFrame[] = []
  private readonly parser = new FrameParser()
  readonly deflate = new HeaderCompressor()
  readonly inflate = new HeaderDecompressor()
  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.frames.push(...this.parser.push(chunk)))
  }
  async open(streamId: number, headers: Record<string, string>): Promise<void> {
    this.socket.write(encodeSynStream({streamId, associatedId: 0, priority: 0, headerBlock: await this.deflate.compress(headers)}))
  }
  async waitFor(predicate: (f: SpdyFrame) => boolean): Promise<SpdyFrame> {
    for (let i = 0; i < 200; i++) {
      const found = this.frames.find(predicate)
      if (found) return found
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error('frame did not arrive')
  }
  close(): void {
    this.deflate.close()
    this.inflate.close()
    this.socket.destroy()
  }
}

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

async function connect(): Promise<{client: FakeClient; conn: SpdyConnection; streams: SpdyStream[]}> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r))
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
  const conn = new SpdyConnection(await accepted)
  const streams: SpdyStream[] = []
  conn.on('stream', (s) => streams.push(s))
  const client = new FakeClient(socket)
  cleanups.push(() => {
    client.close()
    conn.destroy()
    server.close()
  })
  return {client, conn, streams}
}

const isControl = (type: number, streamId?: number) => (f: SpdyFrame) =>
  f.kind === 'control' && f.type === type && (streamId === undefined || decodeStreamHeaders(f.body).streamId === streamId)

describe('SpdyConnection', () => {
  it('answers every SYN_STREAM with an empty SYN_REPLY and exposes the decoded headers', async () => {
    const {client, streams} = await connect()
    await client.open(1, {streamtype: 'error', port: '80', requestid: '0'})
    await client.open(3, {streamtype: 'data', port: '80', requestid: '0'})
    const reply1 = await client.waitFor(isControl(FrameType.SynReply, 1))
    const reply3 = await client.waitFor(isControl(FrameType.SynReply, 3))
    expect(await client.inflate.decompress(decodeStreamHeaders((reply1 as {body: Buffer}).body).headerBlock)).toEqual({})
    expect(await client.inflate.decompress(decodeStreamHeaders((reply3 as {body: Buffer}).body).headerBlock)).toEqual({})
    expect(streams.map((s) => [s.id, s.headers])).toEqual([
      [1, {streamtype: 'error', port: '80', requestid: '0'}],
      [3, {streamtype: 'data', port: '80', requestid: '0'}],
    ])
  })

  it('carries DATA both ways and sends FIN when the stream is ended', async () => {
    const {client, streams} = await connect()
    await client.open(1, {streamtype: 'data'})
    await client.waitFor(isControl(FrameType.SynReply, 1))
    const stream = streams[0]!
    const received: Buffer[] = []
    stream.on('data', (c: Buffer) => received.push(c))
    const ended = new Promise((r) => stream.once('end', r))
    client.socket.write(encodeData(1, Buffer.from('ping'), true))
    await ended
    expect(Buffer.concat(received).toString()).toBe('ping')
    stream.end('pong')
    const fin = await client.waitFor((f) => f.kind === 'data' && (f.flags & 1) === 1)
    const payload = Buffer.concat(client.frames.filter((f) => f.kind === 'data').map((f) => (f as {payload: Buffer}).payload))
    expect(payload.toString()).toBe('pong')
    expect(fin).toMatchObject({streamId: 1})
  })

  it('echoes PING and destroys a stream the client resets', async () => {
    const {client, streams} = await connect()
    client.socket.write(encodeControl(FrameType.Ping, 0, Buffer.of(0, 0, 0, 7)))
    const pong = await client.waitFor(isControl(FrameType.Ping))
    expect((pong as {body: Buffer}).body).toEqual(Buffer.of(0, 0, 0, 7))
    await client.open(1, {streamtype: 'data'})
    await client.waitFor(isControl(FrameType.SynReply, 1))
    const closed = new Promise((r) => streams[0]!.once('close', r))
    client.socket.write(encodeRstStream(1, 5))
    await closed
    expect(streams[0]!.reset).toBe(true)
  })

  it('closes on GOAWAY from the client', async () => {
    const {client, conn} = await connect()
    const closed = new Promise<void>((r) => conn.once('close', () => r()))
    client.socket.write(encodeControl(FrameType.GoAway, 0, Buffer.alloc(8)))
    await closed
    expect(conn.isClosed).toBe(true)
  })
})
