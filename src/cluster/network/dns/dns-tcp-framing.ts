// DNS over TCP (RFC 1035 4.2.2, RFC 7766): every message is preceded by its length as two bytes.
import {DnsFormatError} from './dns-errors.js'
import {MAX_DNS_MESSAGE} from './dns-wire.js'

/** One message with its 2-byte length prefix. */
export function frameDnsMessage(message: Uint8Array): Buffer {
  if (message.length > MAX_DNS_MESSAGE) throw new DnsFormatError(`message of ${message.length} bytes cannot be framed`)
  const out = Buffer.alloc(2 + message.length)
  out.writeUInt16BE(message.length, 0)
  out.set(message, 2)
  return out
}

/**
 * Splits a TCP byte stream back into messages, whatever the chunking. It never holds more than one
 * partial message (at most 64 KiB plus the chunk being read), so a slow or hostile peer cannot grow it.
 */
export class DnsTcpDeframer {
  private pending: Buffer = Buffer.alloc(0)

  /** Feeds received bytes; returns the messages they complete, in order. */
  push(chunk: Uint8Array): Buffer[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk])
    const messages: Buffer[] = []
    let offset = 0
    while (this.pending.length - offset >= 2) {
      const length = this.pending.readUInt16BE(offset)
      if (this.pending.length - offset - 2 < length) break
      messages.push(Buffer.from(this.pending.subarray(offset + 2, offset + 2 + length)))
      offset += 2 + length
    }
    this.pending = Buffer.from(this.pending.subarray(offset))
    return messages
  }

  /** Bytes of an incomplete message still waiting for the rest. */
  get buffered(): number {
    return this.pending.length
  }
}
