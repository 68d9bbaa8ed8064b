// A stand-in for the upstream resolver on 127.0.0.1: answers a few names over UDP and TCP from a table,
// NXDOMAIN for the rest, and records every name it was asked. `silent` makes it never answer.
import {createSocket, type Socket as UdpSocket} from 'node:dgram'
import {createServer, type Server} from 'node:net'
import {NO_FLAGS, encodeDnsMessage, parseDnsMessage} from '../../../../src/cluster/network/dns/dns-message.js'
import type {DnsRecord} from '../../../../src/cluster/network/dns/dns-records.js'
import {DnsTcpDeframer, frameDnsMessage} from '../../../../src/cluster/network/dns/dns-tcp-framing.js'

export interface FakeUpstream {
  port: number
  asked: string[]
  close(): Promise<void>
}

export async function startFakeUpstream(table: Record<string, DnsRecord[]>, options: {silent?: boolean} = {}): Promise<FakeUpstream> {
  const asked: string[] = []
  const answer = (packet: Buffer, udp = false): Buffer => {
    const query = parseDnsMessage(packet)
    const question = query.questions[0]!
    asked.push(question.name)
    const answers = (table[question.name.toLowerCase()] ?? []).filter((r) => question.type === 255 || recordCode(r) === question.type)
    const known = question.name.toLowerCase() in table
    const reply = {
      id: query.id, flags: {...NO_FLAGS, qr: true, rd: query.flags.rd, ra: true, rcode: known ? 0 : 3},
      questions: query.questions, answers, authorities: [], additionals: [],
    }
    const encoded = encodeDnsMessage(reply)
    return udp && encoded.length > 512 ? encodeDnsMessage({...reply, flags: {...reply.flags, tc: true}, answers: []}) : encoded
  }
  const udp: UdpSocket = createSocket('udp4')
  udp.on('message', (packet, from) => {
    if (!options.silent) udp.send(answer(packet, true), from.port, from.address)
    else asked.push(parseDnsMessage(packet).questions[0]!.name)
  })
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve))
  const port = udp.address().port
  const tcp: Server = createServer((socket) => {
    const deframer = new DnsTcpDeframer()
    socket.on('data', (chunk) => {
      for (const packet of deframer.push(chunk)) if (!options.silent) socket.write(frameDnsMessage(answer(packet)))
    })
    socket.on('error', () => socket.destroy())
  })
  await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve))
  return {
    port, asked,
    close: () => Promise.all([
      new Promise<void>((resolve) => udp.close(() => resolve())),
      new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]).then(() => undefined),
  }
}

function recordCode(record: DnsRecord): number {
  return {A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33}[record.type as 'A'] ?? -1
}
