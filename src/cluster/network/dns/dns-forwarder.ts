// Asking the upstream resolver (Docker's embedded DNS in a cluster network) on a client's behalf. Each
// query gets its own socket, so replies cannot be confused between clients, and a deadline, so a silent
// upstream costs one timer and one socket for `timeoutMs` and no more.
import {createSocket} from 'node:dgram'
import {connect, isIPv6} from 'node:net'
import {DnsUpstreamError} from './dns-errors.js'
import {DnsTcpDeframer, frameDnsMessage} from './dns-tcp-framing.js'

export interface DnsUpstream {
  /** An IP address (names are not resolved here: this is the resolver). */
  host: string
  port: number
}

/** Sends `query` over UDP and resolves with the upstream's reply to it (same id, QR set). */
export function forwardOverUdp(query: Buffer, upstream: DnsUpstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(upstream.host) ? 'udp6' : 'udp4')
    const done = (err: Error | undefined, reply?: Buffer): void => {
      clearTimeout(timer)
      socket.removeAllListeners('message')
      socket.close()
      if (err) reject(err)
      else resolve(reply!)
    }
    const timer = setTimeout(() => done(new DnsUpstreamError(`upstream ${upstream.host}:${upstream.port} did not answer within ${timeoutMs} ms`, 'UpstreamTimeout')), timeoutMs)
    socket.on('error', (cause) => done(new DnsUpstreamError(`upstream ${upstream.host}:${upstream.port} failed over UDP`, 'UpstreamFailed', {cause})))
    socket.on('message', (reply, from) => {
      // Anything that is not this query's answer from this upstream is ignored, not trusted.
      if (from.port !== upstream.port || from.address !== upstream.host || !isReplyTo(query, reply)) return
      done(undefined, reply)
    })
    socket.send(query, upstream.port, upstream.host)
  })
}

/** Sends `query` over TCP (for answers too large for UDP) and resolves with the matching reply. */
export function forwardOverTcp(query: Buffer, upstream: DnsUpstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const deframer = new DnsTcpDeframer()
    const socket = connect({host: upstream.host, port: upstream.port})
    let settled = false
    const done = (err: Error | undefined, reply?: Buffer): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (err) reject(err)
      else resolve(reply!)
    }
    const timer = setTimeout(() => done(new DnsUpstreamError(`upstream ${upstream.host}:${upstream.port} did not answer over TCP within ${timeoutMs} ms`, 'UpstreamTimeout')), timeoutMs)
    socket.on('connect', () => socket.write(frameDnsMessage(query)))
    socket.on('data', (chunk) => {
      const reply = deframer.push(chunk).find((m) => isReplyTo(query, m))
      if (reply) done(undefined, reply)
    })
    socket.on('error', (cause) => done(new DnsUpstreamError(`upstream ${upstream.host}:${upstream.port} failed over TCP`, 'UpstreamFailed', {cause})))
    socket.on('close', () => done(new DnsUpstreamError(`upstream ${upstream.host}:${upstream.port} closed the connection without answering`, 'UpstreamFailed')))
  })
}

/** Whether a packet is a response (QR set) carrying the query's id. */
export function isReplyTo(query: Uint8Array, reply: Uint8Array): boolean {
  return reply.length >= 12 && reply[0] === query[0] && reply[1] === query[1] && (reply[2]! & 0x80) !== 0
}

/** Whether a reply has the TC flag: the answer did not fit and should be asked again over TCP. */
export function isTruncated(reply: Uint8Array): boolean {
  return reply.length >= 12 && (reply[2]! & 0x02) !== 0
}
