// A cursor over protobuf wire format (varint, 64-bit, length-delimited, 32-bit). Every read checks the
// remaining length first, so a truncated or lying body fails with a 400 instead of reading past the end.
import {malformed} from './decode-errors.js'

export const WireType = {varint: 0, fixed64: 1, bytes: 2, fixed32: 5} as const

export interface Tag {
  field: number
  wireType: number
}

export class WireReader {
  private pos: number

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start
  }

  atEnd(): boolean {
    return this.pos >= this.end
  }

  /** Bytes not yet consumed. */
  remaining(): number {
    return this.end - this.pos
  }

  /** Unsigned 64-bit varint. A varint longer than 10 bytes, or one whose 10th byte sets bits above 64, is malformed. */
  readVarint(): bigint {
    let result = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw malformed('truncated varint')
      const byte = this.buf[this.pos++]
      if (i === 9 && byte > 1) throw malformed('varint overflows 64 bits')
      result |= BigInt(byte & 0x7f) << BigInt(7 * i)
      if ((byte & 0x80) === 0) return result
    }
    throw malformed('varint overflows 64 bits')
  }

  readTag(): Tag {
    const key = this.readVarint()
    const field = Number(key >> 3n)
    if (field === 0 || field > 0x1fffffff) throw malformed(`invalid field number ${field}`)
    return {field, wireType: Number(key & 7n)}
  }

  /** A length prefix, checked against what is left so a lying length cannot reach past the end. */
  readLength(): number {
    const length = this.readVarint()
    if (length > BigInt(this.remaining())) throw malformed(`length ${length} exceeds the ${this.remaining()} bytes left`)
    return Number(length)
  }

  /** A length-delimited payload as a reader over the same buffer (no copy). */
  readSub(): WireReader {
    const length = this.readLength()
    const sub = new WireReader(this.buf, this.pos, this.pos + length)
    this.pos += length
    return sub
  }

  readBytes(): Buffer {
    const length = this.readLength()
    const bytes = this.buf.subarray(this.pos, this.pos + length)
    this.pos += length
    return bytes
  }

  /** Go marshals invalid UTF-8 in JSON as U+FFFD; Buffer's decoder does the same replacement. */
  readString(): string {
    const length = this.readLength()
    const text = this.buf.toString('utf8', this.pos, this.pos + length)
    this.pos += length
    return text
  }

  /** Skips one value of an unknown field. Groups (wire types 3, 4) are long obsolete and never sent by Go clients. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.readVarint()
        return
      case WireType.fixed64:
        this.advance(8)
        return
      case WireType.bytes:
        this.advance(this.readLength())
        return
      case WireType.fixed32:
        this.advance(4)
        return
      default:
        throw malformed(`unsupported wire type ${wireType}`)
    }
  }

  private advance(count: number): void {
    if (count > this.remaining()) throw malformed(`truncated value: needs ${count} bytes, ${this.remaining()} left`)
    this.pos += count
  }
}
