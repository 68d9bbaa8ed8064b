// SPDY/3.1 framing (kubectl-compat §7.4): what kubectl's spdystream sends and expects. Header blocks
// stay compressed here; spdy-header-block.ts owns the shared zlib contexts.

export const SPDY_VERSION = 3
export const FLAG_FIN = 0x01
/** Largest DATA payload we send in one frame; the 24-bit length allows more, peers buffer less. */
export const MAX_DATA_PAYLOAD = 32 * 1024
/** A frame this large is not a kubectl frame: refuse it rather than buffer it. */
export const MAX_FRAME_LENGTH = 1 << 24

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const

/** RST_STREAM status codes used here. */
export const RstStatus = {ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6} as const

export type SpdyFrame =
  | {kind: 'data'; streamId: number; flags: number; payload: Buffer}
  | {kind: 'control'; type: number; flags: number; body: Buffer}

export class SpdyProtocolError extends Error {
  override name = 'SpdyProtocolError'
  readonly code = 'SPDY_PROTOCOL_ERROR'
}

/** Splits a byte stream into frames; bytes may arrive split at any boundary. */
export class FrameParser {
  private pending: Buffer[] = []
  private pendingLength = 0

  push(chunk: Buffer): SpdyFrame[] {
    if (chunk.length > 0) {
      this.pending.push(chunk)
      this.pendingLength += chunk.length
    }
    const frames: SpdyFrame[] = []
    let buffer = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingLength)
    let offset = 0
    // Each pass consumes one whole frame, so the loop ends within buffer.length / 8 passes.
    while (buffer.length - offset >= 8) {
      const length = buffer.readUIntBE(offset + 5, 3)
      if (buffer.length - offset < 8 + length) break
      frames.push(decodeFrame(buffer.subarray(offset, offset + 8 + length)))
      offset += 8 + length
    }
    buffer = buffer.subarray(offset)
    this.pending = buffer.length > 0 ? [Buffer.from(buffer)] : []
    this.pendingLength = buffer.length
    return frames
  }
}

/** One complete frame (8-byte header plus body) to its parts. */
export function decodeFrame(frame: Buffer): SpdyFrame {
  const flags = frame[4]!
  const body = frame.subarray(8)
  if ((frame[0]! & 0x80) === 0) return {kind: 'data', streamId: frame.readUInt32BE(0) & 0x7fffffff, flags, payload: body}
  const version = frame.readUInt16BE(0) & 0x7fff
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`)
  return {kind: 'control', type: frame.readUInt16BE(2), flags, body}
}

export function encodeControl(type: number, flags: number, body: Buffer): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt16BE(0x8000 | SPDY_VERSION, 0)
  header.writeUInt16BE(type, 2)
  header.writeUInt32BE(body.length, 4)
  header[4] = flags
  return Buffer.concat([header, body])
}

export function encodeData(streamId: number, payload: Buffer, fin: boolean): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt32BE(streamId & 0x7fffffff, 0)
  header.writeUInt32BE(payload.length, 4)
  header[4] = fin ? FLAG_FIN : 0
  return Buffer.concat([header, payload])
}

export interface SynStream {
  streamId: number
  associatedId: number
  priority: number
  /** Still compressed. */
  headerBlock: Buffer
}

export function decodeSynStream(body: Buffer): SynStream {
  if (body.length < 10) throw new SpdyProtocolError('SYN_STREAM shorter than 10 bytes')
  return {
    streamId: body.readUInt32BE(0) & 0x7fffffff,
    associatedId: body.readUInt32BE(4) & 0x7fffffff,
    priority: body[8]! >> 5,
    headerBlock: body.subarray(10),
  }
}

export function encodeSynStream(s: SynStream, fin = false): Buffer {
  const fixed = Buffer.alloc(10)
  fixed.writeUInt32BE(s.streamId & 0x7fffffff, 0)
  fixed.writeUInt32BE(s.associatedId & 0x7fffffff, 4)
  fixed[8] = (s.priority & 0x07) << 5
  return encodeControl(FrameType.SynStream, fin ? FLAG_FIN : 0, Buffer.concat([fixed, s.headerBlock]))
}

/** SYN_REPLY and HEADERS share a layout: stream id, then the header block. */
export function encodeStreamHeaders(type: typeof FrameType.SynReply | typeof FrameType.Headers, streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const id = Buffer.alloc(4)
  id.writeUInt32BE(streamId & 0x7fffffff, 0)
  return encodeControl(type, fin ? FLAG_FIN : 0, Buffer.concat([id, headerBlock]))
}

export function decodeStreamHeaders(body: Buffer): {streamId: number; headerBlock: Buffer} {
  if (body.length < 4) throw new SpdyProtocolError('header frame shorter than 4 bytes')
  return {streamId: body.readUInt32BE(0) & 0x7fffffff, headerBlock: body.subarray(4)}
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const body = Buffer.alloc(8)
  body.writeUInt32BE(streamId & 0x7fffffff, 0)
  body.writeUInt32BE(status, 4)
  return encodeControl(FrameType.RstStream, 0, body)
}

export function decodeRstStream(body: Buffer): {streamId: number; status: number} {
  if (body.length < 8) throw new SpdyProtocolError('RST_STREAM shorter than 8 bytes')
  return {streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4)}
}

export function encodeGoAway(lastGoodStreamId: number, status = 0): Buffer {
  const body = Buffer.alloc(8)
  body.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0)
  body.writeUInt32BE(status, 4)
  return encodeControl(FrameType.GoAway, 0, body)
}

export function encodePing(body: Buffer): Buffer {
  return encodeControl(FrameType.Ping, 0, body)
}
