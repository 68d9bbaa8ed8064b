// The server side of one SPDY/3.1 connection over any byte stream (the upgraded TLS socket, or a
// WebSocket carrying SPDY for kubectl >= 1.31's port-forward). The client opens every stream; each
// gets an empty SYN_REPLY at once, as client-go waits for one (30 s) before using a stream.
import {EventEmitter} from 'node:events'
import type {Duplex} from 'node:stream'
import {logger} from '../../log.js'
import {
  decodeRstStream,
  decodeStreamHeaders,
  decodeSynStream,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeStreamHeaders,
  FLAG_FIN,
  FrameParser,
  FrameType,
  MAX_DATA_PAYLOAD,
  RstStatus,
  type SpdyFrame,
} from './spdy-frames.js'
import {HeaderCompressor, HeaderDecompressor} from './spdy-header-block.js'
import {SpdyStream, type StreamSink} from './spdy-stream.js'

const log = logger('spdy')

export interface SpdyConnectionEvents {
  stream: [SpdyStream]
  close: []
}

export class SpdyConnection extends EventEmitter<SpdyConnectionEvents> implements StreamSink {
  private readonly parser = new FrameParser()
  private readonly inflater = new HeaderDecompressor()
  private readonly deflater = new HeaderCompressor()
  private readonly streams = new Map<number, SpdyStream>()
  /** Incoming frames are handled strictly in order: header blocks share one zlib context. */
  private inbound: Promise<void> = Promise.resolve()
  /** Outgoing frames are written strictly in order: a SYN_REPLY must precede its stream's DATA. */
  private outbound: Promise<void> = Promise.resolve()
  private lastStreamId = 0
  private closed = false

  constructor(private readonly transport: Duplex) {
    super()
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk))
    transport.on('end', () => this.destroy())
    transport.on('close', () => this.destroy())
    transport.on('error', (error) => {
      log.debug({err: error}, 'spdy transport error')
      this.destroy()
    })
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Feed bytes that arrived before the connection existed (the upgrade's `head`). */
  feed(bytes: Buffer): void {
    if (bytes.length > 0) this.onBytes(bytes)
  }

  sendData(streamId: number, payload: Buffer, fin: boolean): Promise<void> {
    const frames: Buffer[] = []
    for (let offset = 0; offset < payload.length; offset += MAX_DATA_PAYLOAD) {
      const end = Math.min(payload.length, offset + MAX_DATA_PAYLOAD)
      frames.push(encodeData(streamId, payload.subarray(offset, end), fin && end === payload.length))
    }
    if (payload.length === 0) frames.push(encodeData(streamId, payload, fin))
    return this.enqueue(async () => Buffer.concat(frames))
  }

  resetStream(streamId: number, status: number): void {
    void this.enqueue(async () => encodeRstStream(streamId, status)).catch(() => undefined)
  }

  forget(streamId: number): void {
    this.streams.delete(streamId)
  }

  /** GOAWAY, then end the transport once queued frames are out. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.enqueue(async () => encodeGoAway(this.lastStreamId)).catch(() => undefined)
    this.transport.end()
  }

  /** Drop the connection and every stream at once. */
  destroy(): void {
    if (this.closed) return
    this.closed = true
    for (const stream of [...this.streams.values()]) stream.peerReset()
    this.streams.clear()
    this.inflater.close()
    this.deflater.close()
    this.transport.destroy()
    this.emit('close')
  }

  private onBytes(chunk: Buffer): void {
    if (this.closed) return
    let frames: SpdyFrame[]
    try {
      frames = this.parser.push(chunk)
    } catch (error) {
      log.debug({err: error}, 'malformed spdy frame; closing the connection')
      this.destroy()
      return
    }
    for (const frame of frames) {
      this.inbound = this.inbound.then(() => this.handle(frame)).catch((error) => {
        log.debug({err: error}, 'spdy frame failed; closing the connection')
        this.destroy()
      })
    }
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (this.closed) return
    if (frame.kind === 'data') {
      const stream = this.streams.get(frame.streamId)
      if (stream) stream.receive(frame.payload, (frame.flags & FLAG_FIN) !== 0)
      else if (frame.payload.length > 0) this.resetStream(frame.streamId, RstStatus.InvalidStream)
      return
    }
    switch (frame.type) {
      case FrameType.SynStream:
        return this.onSynStream(frame.body, frame.flags)
      case FrameType.Headers:
        // Inflated only to keep the shared context in step; no stream here acts on trailers.
        await this.inflater.decompress(decodeStreamHeaders(frame.body).headerBlock)
        return
      case FrameType.RstStream: {
        const {streamId} = decodeRstStream(frame.body)
        this.streams.get(streamId)?.peerReset()
        return
      }
      case FrameType.Ping:
        await this.enqueue(async () => encodePing(frame.body))
        return
      case FrameType.GoAway:
        // The client is done (kubectl sends it after resetting its streams).
        this.destroy()
        return
      default:
      // SETTINGS and WINDOW_UPDATE: flow control is not enforced by either side (§7.4).
    }
  }

  private async onSynStream(body: Buffer, flags: number): Promise<void> {
    const syn = decodeSynStream(body)
    const headers = await this.inflater.decompress(syn.headerBlock)
    if (syn.streamId <= this.lastStreamId || syn.streamId % 2 === 0) {
      this.resetStream(syn.streamId, RstStatus.ProtocolError)
      return
    }
    this.lastStreamId = syn.streamId
    const stream = new SpdyStream(syn.streamId, headers, this)
    this.streams.set(syn.streamId, stream)
    await this.enqueue(async () => encodeStreamHeaders(FrameType.SynReply, syn.streamId, await this.deflater.compress({})))
    if ((flags & FLAG_FIN) !== 0) stream.receive(Buffer.alloc(0), true)
    this.emit('stream', stream)
  }

  /** Queue one write; resolves once the transport took it (after 'drain' when its buffer is full). */
  private enqueue(build: () => Promise<Buffer>): Promise<void> {
    const next = this.outbound.then(async () => {
      if (this.closed) throw new Error('spdy connection closed')
      const bytes = await build()
      if (this.closed) throw new Error('spdy connection closed')
      if (!this.transport.write(bytes)) await waitForDrain(this.transport)
    })
    this.outbound = next.catch(() => undefined)
    return next
  }
}

function waitForDrain(transport: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      transport.off('drain', done)
      transport.off('close', done)
      resolve()
    }
    transport.on('drain', done)
    transport.on('close', done)
  })
}
