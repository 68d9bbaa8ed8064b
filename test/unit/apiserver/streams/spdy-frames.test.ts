import {describe, expect, it} from 'vitest'
import {
  decodeFrame,
  decodeRstStream,
  decodeStreamHeaders,
  decodeSynStream,
  encodeControl,
  encodeData,
  encodeGoAway,
  encodeRstStream,
  encodeStreamHeaders,
  encodeSynStream,
  FrameParser,
  FrameType,
  SpdyProtocolError,
} from '../../../../src/cluster/apiserver/streams/spdy-frames.js'

describe('SPDY/3.1 frames', () => {
  it('encodes a control frame header as 1|version 3|type, flags, 24-bit length', () => {
    const frame = encodeControl(FrameType.Ping, 0, Buffer.of(0, 0, 0, 1))
    expect([...frame.subarray(0, 8)]).toEqual([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04])
  })

  it('encodes a DATA frame with the stream id, the FIN flag and the payload length', () => {
    const frame = encodeData(3, Buffer.from('hi'), true)
    expect([...frame]).toEqual([0, 0, 0, 3, 0x01, 0, 0, 2, 0x68, 0x69])
    expect(decodeFrame(frame)).toEqual({kind: 'data', streamId: 3, flags: 1, payload: Buffer.from('hi')})
  })

  it('round-trips SYN_STREAM with stream id, associated id, priority and the header block', () => {
    const frame = decodeFrame(encodeSynStream({streamId: 5, associatedId: 0, priority: 2, headerBlock: Buffer.from('hb')}, true))
    expect(frame).toMatchObject({kind: 'control', type: FrameType.SynStream, flags: 1})
    expect(decodeSynStream((frame as {body: Buffer}).body)).toEqual({streamId: 5, associatedId: 0, priority: 2, headerBlock: Buffer.from('hb')})
  })

  it('round-trips SYN_REPLY, RST_STREAM and GOAWAY bodies', () => {
    const reply = decodeFrame(encodeStreamHeaders(FrameType.SynReply, 7, Buffer.from('x')))
    expect(reply).toMatchObject({type: FrameType.SynReply})
    expect(decodeStreamHeaders((reply as {body: Buffer}).body)).toEqual({streamId: 7, headerBlock: Buffer.from('x')})
    const rst = decodeFrame(encodeRstStream(9, 5)) as {body: Buffer; type: number}
    expect(rst.type).toBe(FrameType.RstStream)
    expect(decodeRstStream(rst.body)).toEqual({streamId: 9, status: 5})
    const goAway = decodeFrame(encodeGoAway(11)) as {body: Buffer; type: number}
    expect(goAway.type).toBe(FrameType.GoAway)
    expect(goAway.body.readUInt32BE(0)).toBe(11)
  })

  it('reassembles frames split at arbitrary byte boundaries, as WebSocket-tunnelled SPDY arrives', () => {
    const bytes = Buffer.concat([
      encodeSynStream({streamId: 1, associatedId: 0, priority: 0, headerBlock: Buffer.alloc(51, 7)}),
      encodeData(1, Buffer.from('payload'), false),
      encodeData(1, Buffer.alloc(0), true),
    ])
    const parser = new FrameParser()
    const frames = []
    // kubectl 1.32's first frame arrived as 2+2+4+4+4+1+1+51-byte messages.
    let offset = 0
    for (const size of [2, 2, 4, 4, 4, 1, 1, 51, 3, 12, 100]) {
      frames.push(...parser.push(bytes.subarray(offset, offset + size)))
      offset += size
    }
    expect(offset).toBeGreaterThanOrEqual(bytes.length)
    expect(frames.map((f) => f.kind)).toEqual(['control', 'data', 'data'])
    expect(frames[1]).toMatchObject({streamId: 1, flags: 0, payload: Buffer.from('payload')})
    expect(frames[2]).toMatchObject({streamId: 1, flags: 1})
  })

  it('keeps an incomplete frame pending until the rest arrives', () => {
    const parser = new FrameParser()
    const frame = encodeData(1, Buffer.from('abcdef'), false)
    expect(parser.push(frame.subarray(0, 9))).toEqual([])
    expect(parser.push(frame.subarray(9))).toHaveLength(1)
  })

  it('rejects a control frame of another SPDY version', () => {
    const frame = encodeControl(FrameType.Ping, 0, Buffer.alloc(4))
    frame.writeUInt16BE(0x8002, 0)
    expect(() => decodeFrame(frame)).toThrow(SpdyProtocolError)
  })
})
