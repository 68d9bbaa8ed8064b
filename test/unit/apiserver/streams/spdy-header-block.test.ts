import zlib from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {SPDY3_DICTIONARY} from '../../../../src/cluster/apiserver/streams/spdy-dictionary.js'
import {decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor} from '../../../../src/cluster/apiserver/streams/spdy-header-block.js'

describe('SPDY/3 header blocks', () => {
  it('lays a block out as u32 count, then u32-length-prefixed lowercase names and values', () => {
    const block = encodeHeaderBlock({StreamType: 'error'})
    expect([...block]).toEqual([0, 0, 0, 1, 0, 0, 0, 10, ...Buffer.from('streamtype'), 0, 0, 0, 5, ...Buffer.from('error')])
    expect(decodeHeaderBlock(block)).toEqual({streamtype: 'error'})
  })

  it('joins NUL-separated multi-values with a comma', () => {
    expect(decodeHeaderBlock(encodeHeaderBlock({a: 'x\0y'}))).toEqual({a: 'x, y'})
  })

  it('rejects a truncated block', () => {
    expect(() => decodeHeaderBlock(encodeHeaderBlock({port: '80'}).subarray(0, 12))).toThrow(/truncated/)
  })

  it('uses the 1,423-byte SPDY/3 dictionary', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423)
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from([0, 0, 0, 7, ...Buffer.from('options')]))
    expect(SPDY3_DICTIONARY.subarray(-7).toString('latin1')).toBe(',enq=0.')
  })

  it('round-trips several blocks through one shared context per direction', async () => {
    const out = new HeaderCompressor()
    const inbound = new HeaderDecompressor()
    try {
      const sets = [0, 1, 2, 3].map((i) => ({streamtype: i % 2 ? 'data' : 'error', port: '8080', requestid: String(i)}))
      const blocks = []
      for (const headers of sets) blocks.push(await out.compress(headers))
      // Later blocks lean on the shared history, so they come out much smaller than the first.
      expect(blocks[3]!.length).toBeLessThan(blocks[0]!.length / 2)
      for (const [i, block] of blocks.entries()) expect(await inbound.decompress(block)).toEqual(sets[i])
    } finally {
      out.close()
      inbound.close()
    }
  })

  it('cannot decode a later block with a fresh context, which is why contexts are never reset', async () => {
    const out = new HeaderCompressor()
    const fresh = new HeaderDecompressor()
    try {
      await out.compress({streamtype: 'error'})
      const second = await out.compress({streamtype: 'error'})
      await expect(fresh.decompress(second)).rejects.toThrow()
    } finally {
      out.close()
      fresh.close()
    }
  })

  it('inflates a block compressed by an independent zlib writer primed with the dictionary (as Go does)', async () => {
    const peer = zlib.createDeflate({dictionary: SPDY3_DICTIONARY})
    const compress = (headers: Record<string, string>) =>
      new Promise<Buffer>((resolve) => {
        peer.write(encodeHeaderBlock(headers))
        peer.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(peer.read() as Buffer))
      })
    const inbound = new HeaderDecompressor()
    try {
      expect(await inbound.decompress(await compress({streamtype: 'stdout'}))).toEqual({streamtype: 'stdout'})
      expect(await inbound.decompress(await compress({streamtype: 'stderr'}))).toEqual({streamtype: 'stderr'})
    } finally {
      peer.destroy()
      inbound.close()
    }
  })
})
