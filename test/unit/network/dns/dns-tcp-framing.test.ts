import {describe, expect, it} from 'vitest'
import {DnsFormatError} from '../../../../src/cluster/network/dns/dns-errors.js'
import {DnsTcpDeframer, frameDnsMessage} from '../../../../src/cluster/network/dns/dns-tcp-framing.js'

describe('DNS over TCP framing', () => {
  it('prefixes a message with its length in two bytes', () => {
    expect(frameDnsMessage(Buffer.from([7, 8, 9]))).toEqual(Buffer.from([0, 3, 7, 8, 9]))
    expect(() => frameDnsMessage(Buffer.alloc(65536))).toThrow(DnsFormatError)
  })

  it('recovers messages from a stream however it is chunked', () => {
    const messages = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(300, 1), Buffer.from('last')]
    const stream = Buffer.concat(messages.map(frameDnsMessage))
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const deframer = new DnsTcpDeframer()
      const out: Buffer[] = []
      for (let i = 0; i < stream.length; i += size) out.push(...deframer.push(stream.subarray(i, i + size)))
      expect(out).toEqual(messages)
      expect(deframer.buffered).toBe(0)
    }
  })

  it('holds an incomplete message until the rest arrives', () => {
    const deframer = new DnsTcpDeframer()
    expect(deframer.push(Buffer.from([0, 4, 1, 2]))).toEqual([])
    expect(deframer.buffered).toBe(4)
    expect(deframer.push(Buffer.from([3, 4, 0]))).toEqual([Buffer.from([1, 2, 3, 4])])
    expect(deframer.buffered).toBe(1)
  })
})
