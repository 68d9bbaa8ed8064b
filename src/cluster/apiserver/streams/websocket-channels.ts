// The channel.k8s.io WebSocket framing (kubectl-compat §7.2, §7.3): every message is binary, its
// first byte the channel, the rest the payload. v5 adds `[255, ch]`, the client closing channel ch.
import type {WebSocket} from 'ws'

export const CHANNEL_V5 = 'v5.channel.k8s.io'
export const CHANNEL_V4 = 'v4.channel.k8s.io'
/** v5's CLOSE signal channel. */
export const CLOSE_CHANNEL = 255

export const Channel = {Stdin: 0, Stdout: 1, Stderr: 2, Error: 3, Resize: 4} as const

export function encodeChannelMessage(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  return Buffer.concat([Buffer.of(channel), body])
}

export type ChannelMessage = {kind: 'data'; channel: number; payload: Buffer} | {kind: 'close'; channel: number}

/** Undefined for an empty message (no channel byte), which carries nothing. */
export function decodeChannelMessage(message: Buffer, protocol: string): ChannelMessage | undefined {
  if (message.length === 0) return undefined
  const channel = message[0]!
  if (channel === CLOSE_CHANNEL && protocol === CHANNEL_V5 && message.length >= 2) return {kind: 'close', channel: message[1]!}
  return {kind: 'data', channel, payload: message.subarray(1)}
}

/** Client-offered subprotocols, in the client's order. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '')
  return raw.split(',').map((p) => p.trim()).filter((p) => p !== '')
}

/** Sends channel messages on a `ws` socket; resolves when the bytes reached the socket. */
export class ChannelSender {
  constructor(private readonly ws: WebSocket) {}

  send(channel: number, payload: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== this.ws.OPEN) return reject(new Error('websocket is not open'))
      // Always binary: kubectl aborts on a text frame ("unexpected message type").
      this.ws.send(encodeChannelMessage(channel, payload), {binary: true}, (error) => (error ? reject(error) : resolve()))
    })
  }
}

/** Turns a ws `message` event's data into one Buffer (ws may hand over fragments). */
export function messageBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
