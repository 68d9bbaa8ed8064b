// The cluster DNS server: one UDP socket and one TCP listener on the same address and port, answering
// cluster names locally and relaying the rest (dns-responder.ts). Bad packets get an error reply or are
// dropped, and never stop the server; in-flight work is bounded so a flood cannot exhaust it.
import {createSocket, type Socket as UdpSocket} from 'node:dgram'
import {createServer, isIPv6, type Server, type Socket} from 'node:net'
import {logger} from '../../log.js'
import type {ClusterRecords} from './cluster-records.js'
import type {DnsUpstream} from './dns-forwarder.js'
import {respondToDnsQuery, type DnsResponderOptions} from './dns-responder.js'
import {DnsTcpDeframer, frameDnsMessage} from './dns-tcp-framing.js'

export interface DnsServerOptions {
  host: string
  /** 0 picks a free port (the same one for UDP and TCP). */
  port: number
  /** The current records, read for every query so updates apply at once. */
  records: () => ClusterRecords
  /** Where names outside the cluster go; without it they are REFUSED. */
  forward?: DnsUpstream | undefined
  /** How long the upstream gets before the client is told SERVFAIL; default 2000 ms. */
  timeoutMs?: number
  /** Shuffle address records in local answers; default true. */
  shuffle?: boolean
}

export interface DnsServer {
  readonly port: number
  close(): Promise<void>
}

const log = logger('dns')
// Queries being answered at once, over all clients; past this UDP queries are dropped (the client retries).
const MAX_IN_FLIGHT = 1024
// Per TCP connection: pipelined queries in progress, and idle time before the connection is closed.
const MAX_TCP_PIPELINE = 32
const TCP_IDLE_MS = 10_000
const BIND_ATTEMPTS = 8

export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const responder: DnsResponderOptions = {
    records: options.records, timeoutMs: options.timeoutMs ?? 2000,
    ...(options.forward ? {forward: options.forward} : {}), ...(options.shuffle === undefined ? {} : {shuffle: options.shuffle}),
  }
  let inFlight = 0
  let closed = false
  const answer = async (packet: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> => {
    inFlight++
    try {
      return await respondToDnsQuery(packet, transport, responder)
    } catch (err) {
      log.warn({err, transport}, 'dns query failed')
      return undefined
    } finally {
      inFlight--
    }
  }

  const onDatagram = (udp: UdpSocket) => (packet: Buffer, from: {address: string; port: number}): void => {
    if (inFlight >= MAX_IN_FLIGHT) return
    void answer(packet, 'udp').then((reply) => {
      if (reply && !closed) udp.send(reply, from.port, from.address, (err) => err && log.debug({err}, 'dns udp send failed'))
    })
  }

  const connections = new Set<Socket>()
  const onConnection = (socket: Socket): void => {
    connections.add(socket)
    const deframer = new DnsTcpDeframer()
    let pending = 0
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy())
    socket.on('close', () => connections.delete(socket))
    socket.on('error', (err) => log.debug({err}, 'dns tcp connection failed'))
    socket.on('data', (chunk) => {
      for (const packet of deframer.push(chunk)) {
        if (++pending > MAX_TCP_PIPELINE || inFlight >= MAX_IN_FLIGHT) {
          socket.destroy()
          return
        }
        void answer(packet, 'tcp').then((reply) => {
          pending--
          if (!reply || socket.destroyed) return
          socket.write(frameDnsMessage(reply))
        })
      }
    })
  }

  const {udp, tcp, port} = await bindBoth(options.host, options.port, onDatagram, onConnection)
  log.info({host: options.host, port, forward: options.forward}, 'dns server listening')
  return {
    port,
    async close() {
      if (closed) return
      closed = true
      for (const socket of connections) socket.destroy()
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ])
    },
  }
}

// UDP first (port 0 picks one), then TCP on the same number; if another process holds that TCP port,
// start over with a fresh pick. A fixed port that is taken fails at once.
async function bindBoth(
  host: string, port: number,
  onDatagram: (udp: UdpSocket) => (packet: Buffer, from: {address: string; port: number}) => void,
  onConnection: (socket: Socket) => void,
): Promise<{udp: UdpSocket; tcp: Server; port: number}> {
  for (let attempt = 1; ; attempt++) {
    const udp = createSocket({type: isIPv6(host) ? 'udp6' : 'udp4'})
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject)
        udp.bind({address: host, port, exclusive: true}, () => {
          udp.off('error', reject)
          resolve()
        })
      })
    } catch (err) {
      udp.close()
      throw err
    }
    udp.on('error', (err) => log.warn({err}, 'dns udp socket failed'))
    udp.on('message', onDatagram(udp))
    const bound = udp.address().port
    const tcp = createServer(onConnection)
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject)
        tcp.listen({host, port: bound}, () => {
          tcp.off('error', reject)
          resolve()
        })
      })
      return {udp, tcp, port: bound}
    } catch (err) {
      await new Promise<void>((resolve) => udp.close(() => resolve()))
      if (port !== 0 || attempt >= BIND_ATTEMPTS) throw err
    }
  }
}
