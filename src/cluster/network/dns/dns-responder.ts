// One query in, one reply out: cluster names answered from the records, everything else relayed from
// the upstream, and every malformed or unsupported query given the error RFC 1035 prescribes instead
// of an exception. Transport-neutral; dns-server.ts owns the sockets.
import type {ClusterRecords, DnsAnswer} from './cluster-records.js'
import {DnsFormatError} from './dns-errors.js'
import {forwardOverTcp, forwardOverUdp, isTruncated, type DnsUpstream} from './dns-forwarder.js'
import {
  DNS_OPCODE_QUERY, DnsRcode, NO_FLAGS, encodeDnsMessage, parseDnsMessage, readDnsHeader, type DnsFlags, type DnsMessage, type DnsQuestion,
} from './dns-message.js'
import {DNS_CLASS_IN, type DnsRecord} from './dns-records.js'

export interface DnsResponderOptions {
  records: () => ClusterRecords
  forward?: DnsUpstream
  timeoutMs: number
  /** Shuffle address records in local answers, as CoreDNS's loadbalance plugin does; default true. */
  shuffle?: boolean
}

// What this server offers in its OPT record: the size DNS flag day 2020 settled on.
const EDNS_PAYLOAD = 1232
const MAX_UDP_PAYLOAD = 4096
const BADVERS = 16

/** The reply to one packet, or undefined when there is nothing to answer (a response, or no readable header). */
export async function respondToDnsQuery(packet: Buffer, transport: 'udp' | 'tcp', options: DnsResponderOptions): Promise<Buffer | undefined> {
  const header = readDnsHeader(packet)
  if (!header || header.flags.qr) return undefined
  let query: DnsMessage
  try {
    query = parseDnsMessage(packet)
  } catch (err) {
    if (!(err instanceof DnsFormatError)) throw err
    return encodeDnsMessage(reply(header.id, header.flags, [], DnsRcode.FormErr))
  }
  if (query.flags.opcode !== DNS_OPCODE_QUERY) return encodeDnsMessage(reply(query.id, query.flags, query.questions, DnsRcode.NotImp))
  if (query.questions.length !== 1) return encodeDnsMessage(reply(query.id, query.flags, query.questions, DnsRcode.FormErr))
  if (query.edns && query.edns.version > 0) {
    const badvers = reply(query.id, query.flags, query.questions, 0)
    return encodeDnsMessage({...badvers, edns: {...ednsOf(), extendedRcode: BADVERS >> 4}})
  }
  const question = query.questions[0]!
  const lookup = options.records().lookup(question)
  if (lookup.kind === 'refused') return encodeDnsMessage(withEdns(query, reply(query.id, query.flags, query.questions, DnsRcode.Refused)))
  if (lookup.kind === 'forward') return forward(packet, query, transport, options)
  const answers = await chase(lookup, options)
  const message: DnsMessage = {
    id: query.id,
    flags: {...NO_FLAGS, qr: true, aa: true, rd: query.flags.rd, ra: options.forward !== undefined, cd: query.flags.cd, rcode: lookup.rcode},
    questions: [question],
    answers: options.shuffle === false ? answers : shuffleAddresses(answers),
    authorities: lookup.authorities,
    additionals: lookup.additionals,
    ...(query.edns ? {edns: ednsOf()} : {}),
  }
  try {
    return transport === 'udp' ? encodeForUdp(message, query) : encodeDnsMessage(message)
  } catch (err) {
    // A record the wire cannot carry (an over-long ExternalName, say) fails this answer, not the server.
    if (!(err instanceof DnsFormatError)) throw err
    return encodeDnsMessage(withEdns(query, reply(query.id, query.flags, query.questions, DnsRcode.ServFail)))
  }
}

async function forward(packet: Buffer, query: DnsMessage, transport: 'udp' | 'tcp', options: DnsResponderOptions): Promise<Buffer> {
  const upstream = options.forward
  if (!upstream) return encodeDnsMessage(withEdns(query, reply(query.id, query.flags, query.questions, DnsRcode.Refused)))
  try {
    const answer = await forwardOverUdp(packet, upstream, options.timeoutMs)
    // A UDP client retries over TCP itself when it sees TC; a TCP client expects the whole answer.
    return transport === 'tcp' && isTruncated(answer) ? await forwardOverTcp(packet, upstream, options.timeoutMs) : answer
  } catch {
    return encodeDnsMessage(withEdns(query, reply(query.id, query.flags, query.questions, DnsRcode.ServFail)))
  }
}

// An ExternalName's CNAME is followed upstream, as CoreDNS does, so stub resolvers that do not
// restart on a CNAME still get addresses. Without an answer the CNAME stands alone.
async function chase(lookup: DnsAnswer, options: DnsResponderOptions): Promise<DnsRecord[]> {
  if (!lookup.chase || !options.forward) return lookup.answers
  const id = Math.floor(Math.random() * 0x10000)
  const question: DnsQuestion = {name: lookup.chase.name, type: lookup.chase.type, class: DNS_CLASS_IN}
  const query = encodeDnsMessage({id, flags: {...NO_FLAGS, rd: true}, questions: [question], answers: [], authorities: [], additionals: []})
  try {
    const answer = parseDnsMessage(await forwardOverUdp(query, options.forward, options.timeoutMs))
    return answer.flags.rcode === DnsRcode.NoError ? [...lookup.answers, ...answer.answers] : lookup.answers
  } catch {
    return lookup.answers
  }
}

function reply(id: number, flags: DnsFlags, questions: DnsQuestion[], rcode: number): DnsMessage {
  return {
    id, flags: {...NO_FLAGS, qr: true, opcode: flags.opcode, rd: flags.rd, cd: flags.cd, rcode},
    questions, answers: [], authorities: [], additionals: [],
  }
}

function ednsOf(): NonNullable<DnsMessage['edns']> {
  return {udpPayloadSize: EDNS_PAYLOAD, extendedRcode: 0, version: 0, dnssecOk: false, options: Buffer.alloc(0)}
}

function withEdns(query: DnsMessage, message: DnsMessage): DnsMessage {
  return query.edns ? {...message, edns: ednsOf()} : message
}

// Over UDP a reply must fit what the client can take (512 bytes without EDNS): extra records go first,
// then answers from the end, and TC tells the client to ask again over TCP.
function encodeForUdp(message: DnsMessage, query: DnsMessage): Buffer {
  const limit = query.edns ? Math.min(Math.max(query.edns.udpPayloadSize, 512), MAX_UDP_PAYLOAD) : 512
  let encoded = encodeDnsMessage(message)
  if (encoded.length <= limit) return encoded
  let answers = message.answers
  let cut: DnsMessage = {...message, flags: {...message.flags, tc: true}, additionals: [], answers}
  encoded = encodeDnsMessage(cut)
  // Each pass drops at least one record, so this ends after at most answers.length passes.
  while (encoded.length > limit && answers.length > 0) {
    const keep = Math.min(answers.length - 1, Math.floor((answers.length * limit) / encoded.length))
    answers = answers.slice(0, keep)
    cut = {...cut, answers}
    encoded = encodeDnsMessage(cut)
  }
  return encoded
}

function shuffleAddresses(records: DnsRecord[]): DnsRecord[] {
  const slots = records.flatMap((r, i) => (r.type === 'A' || r.type === 'AAAA' ? [i] : []))
  if (slots.length < 2) return records
  const picked = slots.map((i) => records[i]!)
  for (let i = picked.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[picked[i], picked[j]] = [picked[j]!, picked[i]!]
  }
  const out = [...records]
  slots.forEach((slot, k) => (out[slot] = picked[k]!))
  return out
}
