// Bounded reading and writing of DNS wire data. Every read checks the bytes are there and throws a
// DnsFormatError otherwise, so a truncated or lying packet can never read past its end.
import {DnsFormatError} from './dns-errors.js'
import {asciiLower, nameToLabels} from './dns-name.js'

/** The largest DNS message: TCP's 2-byte length prefix caps it. */
export const MAX_DNS_MESSAGE = 65535

/** Reads big-endian fields from a packet, refusing to go past its end. */
export class WireReader {
  pos = 0
  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos
  }

  need(n: number, what: string): void {
    if (n > this.remaining) throw new DnsFormatError(`truncated ${what}: need ${n} bytes at offset ${this.pos}, have ${this.remaining}`)
  }

  u8(what = 'field'): number {
    this.need(1, what)
    return this.buf[this.pos++]!
  }

  u16(what = 'field'): number {
    this.need(2, what)
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!
    this.pos += 2
    return v
  }

  u32(what = 'field'): number {
    this.need(4, what)
    const v = ((this.buf[this.pos]! << 24) >>> 0) + (this.buf[this.pos + 1]! << 16) + (this.buf[this.pos + 2]! << 8) + this.buf[this.pos + 3]!
    this.pos += 4
    return v
  }

  bytes(n: number, what = 'field'): Buffer {
    this.need(n, what)
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n))
    this.pos += n
    return out
  }
}

/** Appends big-endian fields to a growing buffer and compresses names (RFC 1035 4.1.4). */
export class WireWriter {
  private buf = Buffer.alloc(512)
  private length = 0
  // Lowercased name suffix -> offset of its first occurrence; pointers can only reach the first 16 KiB.
  private readonly suffixes = new Map<string, number>()

  get size(): number {
    return this.length
  }

  private reserve(n: number): void {
    if (this.length + n > MAX_DNS_MESSAGE) throw new DnsFormatError(`message exceeds ${MAX_DNS_MESSAGE} bytes`)
    if (this.length + n <= this.buf.length) return
    const bigger = Buffer.alloc(Math.min(MAX_DNS_MESSAGE, Math.max(this.buf.length * 2, this.length + n)))
    this.buf.copy(bigger, 0, 0, this.length)
    this.buf = bigger
  }

  u8(v: number): void {
    this.reserve(1)
    this.buf[this.length++] = v & 0xff
  }

  u16(v: number): void {
    this.reserve(2)
    this.buf.writeUInt16BE(v & 0xffff, this.length)
    this.length += 2
  }

  u32(v: number): void {
    this.reserve(4)
    this.buf.writeUInt32BE(v >>> 0, this.length)
    this.length += 4
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length)
    this.buf.set(data, this.length)
    this.length += data.length
  }

  /** Overwrites a 16-bit field written earlier (record lengths, section counts). */
  patchU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v & 0xffff, at)
  }

  /** Writes a domain name, pointing at an earlier copy of its longest known suffix when `compress`. */
  name(name: string, compress = true): void {
    const labels = nameToLabels(name)
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).map((l) => `${l.length}:${asciiLower(l.toString('latin1'))}`).join('')
      const earlier = this.suffixes.get(key)
      if (compress && earlier !== undefined) {
        this.u16(0xc000 | earlier)
        return
      }
      if (this.length < 0x4000 && !this.suffixes.has(key)) this.suffixes.set(key, this.length)
      this.u8(labels[i]!.length)
      this.bytes(labels[i]!)
    }
    this.u8(0)
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length))
  }
}
