// SPDY/3 header blocks: `u32 count, (u32 len, name, u32 len, value)*`, zlib-compressed with one
// context per direction for the whole connection (kubectl-compat §7.4). The contexts are never
// reset: each block is flushed with Z_SYNC_FLUSH, so every later block depends on all earlier ones
// and every block the client sends must be inflated, in order, even when its headers are ignored.
import zlib from 'node:zlib'
import {SPDY3_DICTIONARY} from './spdy-dictionary.js'
import {SpdyProtocolError} from './spdy-frames.js'

export type HeaderMap = Record<string, string>

/** Most headers a block may carry; kubectl sends three or four. */
const MAX_HEADER_PAIRS = 256
/** Largest inflated header block accepted (a compressed bomb stops here). */
const MAX_BLOCK_BYTES = 64 * 1024

export function encodeHeaderBlock(headers: HeaderMap): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)]
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase(), 'utf8')
    const v = Buffer.from(value, 'utf8')
    parts.push(u32(n.length), n, u32(v.length), v)
  }
  return Buffer.concat(parts)
}

/** Names are lowercased; repeated values (NUL-separated in SPDY) are joined with ', '. */
export function decodeHeaderBlock(block: Buffer): HeaderMap {
  const headers: HeaderMap = {}
  let offset = 0
  const take = (): Buffer => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('truncated header block')
    const length = block.readUInt32BE(offset)
    offset += 4
    if (offset + length > block.length) throw new SpdyProtocolError('truncated header block')
    const bytes = block.subarray(offset, offset + length)
    offset += length
    return bytes
  }
  if (block.length < 4) throw new SpdyProtocolError('truncated header block')
  const count = block.readUInt32BE(0)
  offset = 4
  if (count > MAX_HEADER_PAIRS) throw new SpdyProtocolError(`header block with ${count} pairs`)
  for (let i = 0; i < count; i++) {
    const name = take().toString('utf8').toLowerCase()
    const value = take().toString('utf8').split('\0').join(', ')
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  return headers
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n, 0)
  return b
}

/**
 * One direction's zlib context. Calls are queued by the stream itself, so blocks come out in the
 * order they went in; each call resolves with exactly the bytes that block produced.
 */
class HeaderCodec {
  constructor(private readonly stream: zlib.Deflate | zlib.Inflate) {
    // Errors are reported through the flush callbacks below; an unhandled 'error' would crash.
    stream.on('error', () => undefined)
  }

  process(input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.stream.destroyed) return reject(new SpdyProtocolError('header compression context is closed'))
      const onError = (error: Error) => reject(new SpdyProtocolError(`header block: ${error.message}`, {cause: error}))
      this.stream.once('error', onError)
      this.stream.write(input)
      // The flush callback runs once this block (and the flush) is processed, after its output was
      // pushed; nothing reads the stream in between, so read() returns this block's bytes only.
      this.stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.stream.off('error', onError)
        const out = (this.stream.read() as Buffer | null) ?? Buffer.alloc(0)
        if (out.length > MAX_BLOCK_BYTES) return reject(new SpdyProtocolError(`header block inflates to ${out.length} bytes`))
        resolve(out)
      })
    })
  }

  close(): void {
    this.stream.destroy()
  }
}

/** Compresses the header blocks this side sends (SYN_REPLY, HEADERS). */
export class HeaderCompressor {
  private readonly codec = new HeaderCodec(zlib.createDeflate({dictionary: SPDY3_DICTIONARY}))

  compress(headers: HeaderMap): Promise<Buffer> {
    return this.codec.process(encodeHeaderBlock(headers))
  }

  close(): void {
    this.codec.close()
  }
}

/** Inflates the header blocks the peer sends (SYN_STREAM, HEADERS). */
export class HeaderDecompressor {
  private readonly codec = new HeaderCodec(zlib.createInflate({dictionary: SPDY3_DICTIONARY}))

  async decompress(block: Buffer): Promise<HeaderMap> {
    return decodeHeaderBlock(await this.codec.process(block))
  }

  close(): void {
    this.codec.close()
  }
}
