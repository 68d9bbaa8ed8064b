// Domain names as text and as wire labels. Text names carry no trailing dot ('' is the root); a label
// byte that text cannot show plainly (a dot, a backslash, anything outside printable ASCII) is written
// `\.`, `\\` or `\DDD`, as in master files, so every wire name has exactly one text form.
import {DnsFormatError} from './dns-errors.js'

const MAX_NAME = 255
const MAX_LABEL = 63
// A compressed name can hop at most this often; with the backwards-only rule below it cannot loop anyway.
const MAX_POINTERS = 127

/** ASCII-only lowercase: DNS compares names case-insensitively in ASCII only (RFC 4343). */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase())
}

/** The form names are compared in: ASCII-lowercased, without a trailing dot. */
export function canonicalName(name: string): string {
  return asciiLower(name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name)
}

/** Splits a text name into wire labels, undoing escapes; throws a DnsFormatError on names DNS cannot carry. */
export function nameToLabels(name: string): Buffer[] {
  if (name === '' || name === '.') return []
  const labels: Buffer[] = []
  let current: number[] = []
  const text = Buffer.from(name, 'utf8')
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (c === 0x2e) {
      if (current.length === 0) throw new DnsFormatError(`empty label in ${JSON.stringify(name)}`)
      labels.push(Buffer.from(current))
      current = []
      i++
      // A dot at the very end is the root, written or not.
      continue
    }
    if (c === 0x5c) {
      const digits = text.subarray(i + 1, i + 4).toString('latin1')
      if (/^\d{3}$/.test(digits) && Number(digits) <= 255) {
        current.push(Number(digits))
        i += 4
      } else if (i + 1 < text.length) {
        current.push(text[i + 1]!)
        i += 2
      } else {
        throw new DnsFormatError(`dangling escape in ${JSON.stringify(name)}`)
      }
    } else {
      current.push(c)
      i++
    }
    if (current.length > MAX_LABEL) throw new DnsFormatError(`label longer than ${MAX_LABEL} bytes in ${JSON.stringify(name)}`)
  }
  if (current.length > 0) labels.push(Buffer.from(current))
  const wireLength = labels.reduce((n, l) => n + 1 + l.length, 1)
  if (wireLength > MAX_NAME) throw new DnsFormatError(`name longer than ${MAX_NAME} bytes: ${JSON.stringify(name.slice(0, 64))}...`)
  return labels
}

/** The text form of one wire label. */
export function labelToText(label: Uint8Array): string {
  let out = ''
  for (const b of label) {
    if (b === 0x2e || b === 0x5c) out += `\\${String.fromCharCode(b)}`
    else if (b < 0x21 || b > 0x7e) out += `\\${String(b).padStart(3, '0')}`
    else out += String.fromCharCode(b)
  }
  return out
}

/**
 * Reads a possibly compressed name at `start` of `buf`; `next` is where the data after it begins.
 * Each pointer must point before the previous one's target (before the name itself for the first),
 * which is how every honest encoder writes them and what makes pointer loops impossible.
 */
export function readName(buf: Uint8Array, start: number): {name: string; next: number} {
  const labels: string[] = []
  let pos = start
  let wireLength = 1
  let next: number | undefined
  let limit = start
  for (let hops = 0; ; ) {
    if (pos >= buf.length) throw new DnsFormatError(`truncated name at offset ${pos}`)
    const length = buf[pos]!
    if (length === 0) {
      pos++
      break
    }
    const kind = length & 0xc0
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError(`truncated name pointer at offset ${pos}`)
      const target = ((length & 0x3f) << 8) | buf[pos + 1]!
      if (target >= limit) throw new DnsFormatError(`name pointer at offset ${pos} does not point backwards`)
      if (++hops > MAX_POINTERS) throw new DnsFormatError('too many name pointers')
      next ??= pos + 2
      limit = target
      pos = target
      continue
    }
    if (kind !== 0) throw new DnsFormatError(`unsupported label type 0x${kind.toString(16)} at offset ${pos}`)
    wireLength += 1 + length
    if (wireLength > MAX_NAME) throw new DnsFormatError(`name longer than ${MAX_NAME} bytes at offset ${start}`)
    if (pos + 1 + length > buf.length) throw new DnsFormatError(`truncated label at offset ${pos}`)
    labels.push(labelToText(buf.subarray(pos + 1, pos + 1 + length)))
    pos += 1 + length
  }
  return {name: labels.join('.'), next: next ?? pos}
}
