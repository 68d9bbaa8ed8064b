// One SPDY stream as a Node Duplex: readable = the peer's DATA frames, writable = ours. end() sends
// an empty DATA frame with FIN (a half-close); a peer RST_STREAM destroys the stream.
import {Duplex} from 'node:stream'
import type {HeaderMap} from './spdy-header-block.js'

/** What a stream needs from its connection. */
export interface StreamSink {
  sendData(streamId: number, payload: Buffer, fin: boolean): Promise<void>
  resetStream(streamId: number, status: number): void
  forget(streamId: number): void
}

export class SpdyStream extends Duplex {
  /** The peer reset the stream (RST_STREAM): nothing more may be written. */
  reset = false
  private finSent = false

  constructor(
    readonly id: number,
    readonly headers: HeaderMap,
    private readonly sink: StreamSink,
  ) {
    super({allowHalfOpen: true})
    this.on('close', () => sink.forget(id))
  }

  /** DATA from the peer. */
  receive(payload: Buffer, fin: boolean): void {
    if (this.destroyed || this.readableEnded) return
    if (payload.length > 0) this.push(payload)
    if (fin) this.push(null)
  }

  /** RST_STREAM from the peer, or the connection went away. */
  peerReset(): void {
    this.reset = true
    this.destroy()
  }

  /** Abort the stream towards the peer (RST_STREAM CANCEL). */
  cancel(status = 5): void {
    if (!this.reset && !this.destroyed) this.sink.resetStream(this.id, status)
    this.reset = true
    this.destroy()
  }

  override _read(): void {
    // Frames are pushed as they arrive; SPDY flow control is not enforced by kubectl's spdystream.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.reset) return callback()
    this.sink.sendData(this.id, chunk, false).then(() => callback(), callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.reset || this.finSent) return callback()
    this.finSent = true
    this.sink.sendData(this.id, Buffer.alloc(0), true).then(() => callback(), callback)
  }
}
