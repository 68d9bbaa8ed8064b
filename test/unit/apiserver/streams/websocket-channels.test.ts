import {describe, expect, it} from 'vitest'
import {parseTerminalSize, nonZeroExitStatus} from '../../../../src/cluster/apiserver/streams/exec-status.js'
import {CHANNEL_V4, CHANNEL_V5, decodeChannelMessage, encodeChannelMessage, offeredProtocols} from '../../../../src/cluster/apiserver/streams/websocket-channels.js'

describe('channel.k8s.io WebSocket framing', () => {
  it('prefixes the payload with the channel byte', () => {
    expect([...encodeChannelMessage(1, 'hi')]).toEqual([1, 0x68, 0x69])
    expect([...encodeChannelMessage(3, Buffer.of(9))]).toEqual([3, 9])
  })

  it('reads the channel from the first byte', () => {
    expect(decodeChannelMessage(Buffer.of(0, 0x61), CHANNEL_V5)).toEqual({kind: 'data', channel: 0, payload: Buffer.of(0x61)})
  })

  it('treats [255, ch] as a close of channel ch on v5 only', () => {
    expect(decodeChannelMessage(Buffer.of(255, 0), CHANNEL_V5)).toEqual({kind: 'close', channel: 0})
    expect(decodeChannelMessage(Buffer.of(255, 0), CHANNEL_V4)).toEqual({kind: 'data', channel: 255, payload: Buffer.of(0)})
  })

  it('ignores an empty message', () => {
    expect(decodeChannelMessage(Buffer.alloc(0), CHANNEL_V5)).toBeUndefined()
  })

  it('splits the offered subprotocols, keeping tokens with a slash', () => {
    expect(offeredProtocols('v5.channel.k8s.io, v4.channel.k8s.io')).toEqual(['v5.channel.k8s.io', 'v4.channel.k8s.io'])
    expect(offeredProtocols(['SPDY/3.1+portforward.k8s.io'])).toEqual(['SPDY/3.1+portforward.k8s.io'])
    expect(offeredProtocols(undefined)).toEqual([])
  })
})

describe('exec status and resize messages', () => {
  it('carries the exit code as the ExitCode cause, with the Go-formatted command', () => {
    expect(nonZeroExitStatus(['sh', '-c', 'exit 3'], 3)).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: {causes: [{reason: 'ExitCode', message: '3'}]},
    })
  })

  it('parses {"Width","Height"} and rejects anything else', () => {
    expect(parseTerminalSize('{"Width":100,"Height":30}')).toEqual({width: 100, height: 30})
    expect(parseTerminalSize('{"Width":-1,"Height":30}')).toBeUndefined()
    expect(parseTerminalSize('not json')).toBeUndefined()
  })
})
