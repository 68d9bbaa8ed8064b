// Resource records (RFC 1035 3.2, RFC 3596, RFC 2782): their types and how their data is read from and
// written to the wire. Types this server does not interpret pass through as raw bytes.
import {DnsFormatError} from './dns-errors.js'
import {readName} from './dns-name.js'
import type {WireReader, WireWriter} from './dns-wire.js'
import {formatIpv4, formatIpv6, parseIpv4, parseIpv6} from './ip-bytes.js'

/** Type codes (QTYPE/TYPE) this module names. */
export const DnsType = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, IXFR: 251, AXFR: 252, ANY: 255,
} as const

/** The Internet class, the only one a cluster serves. */
export const DNS_CLASS_IN = 1

export type DnsRecordData =
  | {type: 'A'; address: string}
  | {type: 'AAAA'; address: string}
  | {type: 'CNAME' | 'NS' | 'PTR'; target: string}
  | {type: 'SRV'; priority: number; weight: number; port: number; target: string}
  | {type: 'TXT'; texts: string[]}
  | {type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number}
  | {type: 'RAW'; code: number; data: Buffer}

/** One resource record; `class` defaults to IN when written. */
export type DnsRecord = {name: string; ttl: number; class?: number} & DnsRecordData

/** The type code a record is written with. */
export function recordTypeCode(record: DnsRecordData): number {
  return record.type === 'RAW' ? record.code : DnsType[record.type]
}

/** Reads the data of a record of type `code` that occupies [reader.pos, reader.pos + length). */
export function readRecordData(reader: WireReader, code: number, length: number): DnsRecordData {
  const end = reader.pos + length
  reader.need(length, 'record data')
  const name = (): string => {
    const {name, next} = readName(reader.buf, reader.pos)
    if (next > end) throw new DnsFormatError(`name runs past its record data at offset ${reader.pos}`)
    reader.pos = next
    return name
  }
  let data: DnsRecordData
  switch (code) {
    case DnsType.A:
      if (length !== 4) throw new DnsFormatError(`A record data is ${length} bytes, not 4`)
      data = {type: 'A', address: formatIpv4(reader.bytes(4))}
      break
    case DnsType.AAAA:
      if (length !== 16) throw new DnsFormatError(`AAAA record data is ${length} bytes, not 16`)
      data = {type: 'AAAA', address: formatIpv6(reader.bytes(16))}
      break
    case DnsType.CNAME:
      data = {type: 'CNAME', target: name()}
      break
    case DnsType.NS:
      data = {type: 'NS', target: name()}
      break
    case DnsType.PTR:
      data = {type: 'PTR', target: name()}
      break
    case DnsType.SRV: {
      const [priority, weight, port] = [reader.u16('SRV'), reader.u16('SRV'), reader.u16('SRV')]
      data = {type: 'SRV', priority, weight, port, target: name()}
      break
    }
    case DnsType.TXT: {
      const texts: string[] = []
      while (reader.pos < end) texts.push(reader.bytes(reader.u8('TXT'), 'TXT').toString('utf8'))
      data = {type: 'TXT', texts}
      break
    }
    case DnsType.SOA: {
      const [mname, rname] = [name(), name()]
      const [serial, refresh, retry, expire, minimum] = [0, 0, 0, 0, 0].map(() => reader.u32('SOA')) as [number, number, number, number, number]
      data = {type: 'SOA', mname, rname, serial, refresh, retry, expire, minimum}
      break
    }
    default:
      data = {type: 'RAW', code, data: reader.bytes(length)}
  }
  if (reader.pos !== end) throw new DnsFormatError(`record data of type ${code} is ${length} bytes but holds ${length + reader.pos - end}`)
  return data
}

/** Writes a record's data (without its length prefix). SRV targets are never compressed (RFC 2782). */
export function writeRecordData(writer: WireWriter, record: DnsRecordData): void {
  switch (record.type) {
    case 'A':
    case 'AAAA': {
      const bytes = record.type === 'A' ? parseIpv4(record.address) : parseIpv6(record.address)
      if (!bytes) throw new DnsFormatError(`${record.type} record with invalid address ${JSON.stringify(record.address)}`)
      writer.bytes(bytes)
      return
    }
    case 'CNAME':
    case 'NS':
    case 'PTR':
      writer.name(record.target)
      return
    case 'SRV':
      writer.u16(record.priority)
      writer.u16(record.weight)
      writer.u16(record.port)
      writer.name(record.target, false)
      return
    case 'TXT':
      for (const text of record.texts) {
        const bytes = Buffer.from(text, 'utf8')
        if (bytes.length > 255) throw new DnsFormatError('TXT string longer than 255 bytes')
        writer.u8(bytes.length)
        writer.bytes(bytes)
      }
      return
    case 'SOA':
      writer.name(record.mname)
      writer.name(record.rname)
      for (const v of [record.serial, record.refresh, record.retry, record.expire, record.minimum]) writer.u32(v)
      return
    case 'RAW':
      writer.bytes(record.data)
  }
}
