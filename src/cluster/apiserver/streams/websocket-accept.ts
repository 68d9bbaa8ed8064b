// The RFC 6455 handshake through `ws`, with the subprotocol chosen here. `ws` rejects the
// `SPDY/3.1+portforward.k8s.io` token ('/' is not a token character) with a 400, so the offered
// protocols are removed from the request and the chosen one is added to the 101 response
// (kubectl-compat §7.3, the `ws` pitfall).
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'
import {WebSocketServer, type WebSocket} from 'ws'

/** Largest client message accepted; kubectl sends stdin in 32 KiB pieces. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

const chosenProtocol = new WeakMap<IncomingMessage, string>()
const server = new WebSocketServer({noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES})
server.on('headers', (headers, req) => {
  const protocol = chosenProtocol.get(req)
  if (protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`)
})

export class WebSocketHandshakeError extends Error {
  override name = 'WebSocketHandshakeError'
  readonly code = 'WEBSOCKET_HANDSHAKE_FAILED'
}

/** Completes the upgrade; `protocol` ('' for none) is echoed in the 101 response. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket> {
  delete req.headers['sec-websocket-protocol']
  if (protocol) chosenProtocol.set(req, protocol)
  return new Promise((resolve, reject) => {
    // ws answers a malformed handshake itself and destroys the socket without calling back.
    const onClose = () => reject(new WebSocketHandshakeError('the websocket handshake was refused or the client hung up'))
    socket.once('close', onClose)
    server.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', onClose)
      resolve(ws)
    })
  })
}
