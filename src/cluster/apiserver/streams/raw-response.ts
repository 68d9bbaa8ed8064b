// Answers on a socket that left node:http's hands (the 'upgrade' event): a refused upgrade gets an
// ordinary HTTP/1.1 response, a Status for API errors or plain text for the kubelet's refusals.
import {STATUS_CODES} from 'node:http'
import type {Duplex} from 'node:stream'
import {ApiError} from '../../api/errors.js'
import {statusFromError} from '../status.js'
import {KubeletRefusal} from './pod-target.js'

export function refuseUpgrade(socket: Duplex, error: unknown): void {
  if (socket.destroyed) return
  if (error instanceof KubeletRefusal) return writeResponse(socket, error.httpStatus, 'text/plain', error.message)
  const status = statusFromError(error)
  writeResponse(socket, status.code, 'application/json', JSON.stringify(status))
}

export function writeResponse(socket: Duplex, code: number, contentType: string, body: string): void {
  const head = [
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-cache, private',
    'Connection: close',
  ]
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`)
}

/** The 101 answer to `Upgrade: SPDY/3.1`, naming the negotiated stream protocol. */
export function writeSpdySwitch(socket: Duplex, protocol: string): void {
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${protocol}`, '', ''].join('\r\n'))
}

/**
 * A request node:http could not parse (an unknown method, a URL or headers over the 16 KiB limit,
 * bad framing) gets a Status like any other refusal instead of a reset connection, which clients
 * report as "connection reset by peer" with nothing to go on.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const refusal =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError(431, 'BadRequest', 'the request line and headers are larger than the server accepts (16 KiB); send long selectors in fewer characters')
      : error.code === 'HPE_INVALID_METHOD'
        ? new ApiError(405, 'MethodNotAllowed', 'the request method is not supported by the server')
        : new ApiError(400, 'BadRequest', `the request could not be parsed as HTTP/1.1 (${error.code ?? 'malformed'})`)
  writeResponse(socket, refusal.code, 'application/json', JSON.stringify(statusFromError(refusal)))
}
