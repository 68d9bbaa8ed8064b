// DNS messages (RFC 1035 4.1) with EDNS(0) (RFC 6891): strict, bounded parsing and encoding with name
// compression. A packet that cannot be read throws a DnsFormatError; nothing here loops on input.
import {DnsFormatError} from './dns-errors.js'
import {readName} from './dns-name.js'
import {DNS_CLASS_IN, DnsType, readRecordData, recordTypeCode, writeRecordData, type DnsRecord} from './dns-records.js'
import {WireReader, WireWriter} from './dns-wire.js'

export const DnsRcode = {NoError: 0, FormErr: 1, ServFail: 2, NXDomain: 3, NotImp: 4, Refused: 5} as const
export const DNS_OPCODE_QUERY = 0

export interface DnsFlags {
  qr: boolean
  opcode: number
  aa: boolean
  tc: boolean
  rd: boolean
  ra: boolean
  ad: boolean
  cd: boolean
  /** The low 4 bits of the response code; EDNS carries the high bits. */
  rcode: number
}

export interface DnsQuestion {
  name: string
  type: number
  class: number
}

/** The OPT pseudo-record, kept apart from the additional section it travels in. */
export interface DnsEdns {
  udpPayloadSize: number
  extendedRcode: number
  version: number
  dnssecOk: boolean
  /** The options' bytes as received, passed through uninterpreted. */
  options: Buffer
}

export interface DnsMessage {
  id: number
  flags: DnsFlags
  questions: DnsQuestion[]
  answers: DnsRecord[]
  authorities: DnsRecord[]
  additionals: DnsRecord[]
  edns?: DnsEdns
}

const HEADER = 12
// The smallest question is a root name, type and class; the smallest record adds TTL and length.
const MIN_QUESTION = 5
const MIN_RECORD = 11

/** All flags clear: a starting point for building messages. */
export const NO_FLAGS: DnsFlags = {qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false, rcode: 0}

/** The id and flags of a packet whose body may be unreadable, or undefined when even the header is cut short. */
export function readDnsHeader(buf: Uint8Array): {id: number; flags: DnsFlags} | undefined {
  if (buf.length < HEADER) return undefined
  const word = (buf[2]! << 8) | buf[3]!
  return {id: (buf[0]! << 8) | buf[1]!, flags: decodeFlags(word)}
}

/** Parses a whole message; throws a DnsFormatError on anything malformed or truncated. */
export function parseDnsMessage(buf: Uint8Array): DnsMessage {
  const reader = new WireReader(buf)
  reader.need(HEADER, 'header')
  const id = reader.u16()
  const flags = decodeFlags(reader.u16())
  const [qd, an, ns, ar] = [reader.u16(), reader.u16(), reader.u16(), reader.u16()]
  // Counts are checked against the bytes present before any loop runs, so a lying header costs nothing.
  if (qd * MIN_QUESTION + (an + ns + ar) * MIN_RECORD > reader.remaining) {
    throw new DnsFormatError(`section counts ${qd}/${an}/${ns}/${ar} cannot fit in ${reader.remaining} bytes`)
  }
  const questions: DnsQuestion[] = []
  for (let i = 0; i < qd; i++) {
    const name = readNameAt(reader)
    questions.push({name, type: reader.u16('question'), class: reader.u16('question')})
  }
  const message: DnsMessage = {id, flags, questions, answers: [], authorities: [], additionals: []}
  const sections = [[an, message.answers], [ns, message.authorities], [ar, message.additionals]] as const
  for (const [count, into] of sections) {
    for (let i = 0; i < count; i++) {
      const name = readNameAt(reader)
      const [type, klass, ttl, length] = [reader.u16('record'), reader.u16('record'), reader.u32('record'), reader.u16('record')]
      if (type === DnsType.OPT) {
        if (into !== message.additionals || message.edns || name !== '') throw new DnsFormatError('misplaced or repeated OPT record')
        message.edns = {
          udpPayloadSize: klass, extendedRcode: ttl >>> 24, version: (ttl >>> 16) & 0xff,
          dnssecOk: (ttl & 0x8000) !== 0, options: reader.bytes(length, 'OPT data'),
        }
        continue
      }
      into.push({name, ttl, class: klass, ...readRecordData(reader, type, length)})
    }
  }
  return message
}

/** Encodes a message, compressing names; throws a DnsFormatError when a field cannot be written. */
export function encodeDnsMessage(message: DnsMessage): Buffer {
  const writer = new WireWriter()
  writer.u16(message.id)
  writer.u16(encodeFlags(message.flags))
  writer.u16(message.questions.length)
  writer.u16(message.answers.length)
  writer.u16(message.authorities.length)
  writer.u16(message.additionals.length + (message.edns ? 1 : 0))
  for (const q of message.questions) {
    writer.name(q.name)
    writer.u16(q.type)
    writer.u16(q.class)
  }
  for (const record of [...message.answers, ...message.authorities, ...message.additionals]) {
    writer.name(record.name)
    writer.u16(recordTypeCode(record))
    writer.u16(record.class ?? DNS_CLASS_IN)
    writer.u32(record.ttl)
    const at = writer.size
    writer.u16(0)
    writeRecordData(writer, record)
    writer.patchU16(at, writer.size - at - 2)
  }
  if (message.edns) {
    const {udpPayloadSize, extendedRcode, version, dnssecOk, options} = message.edns
    writer.u8(0)
    writer.u16(DnsType.OPT)
    writer.u16(udpPayloadSize)
    writer.u32(((extendedRcode & 0xff) << 24) | ((version & 0xff) << 16) | (dnssecOk ? 0x8000 : 0))
    writer.u16(options.length)
    writer.bytes(options)
  }
  return writer.finish()
}

function readNameAt(reader: WireReader): string {
  const {name, next} = readName(reader.buf, reader.pos)
  reader.pos = next
  return name
}

function decodeFlags(word: number): DnsFlags {
  return {
    qr: (word & 0x8000) !== 0, opcode: (word >>> 11) & 0xf, aa: (word & 0x0400) !== 0, tc: (word & 0x0200) !== 0,
    rd: (word & 0x0100) !== 0, ra: (word & 0x0080) !== 0, ad: (word & 0x0020) !== 0, cd: (word & 0x0010) !== 0,
    rcode: word & 0xf,
  }
}

function encodeFlags(f: DnsFlags): number {
  return (f.qr ? 0x8000 : 0) | ((f.opcode & 0xf) << 11) | (f.aa ? 0x0400 : 0) | (f.tc ? 0x0200 : 0) | (f.rd ? 0x0100 : 0) |
    (f.ra ? 0x0080 : 0) | (f.ad ? 0x0020 : 0) | (f.cd ? 0x0010 : 0) | (f.rcode & 0xf)
}
