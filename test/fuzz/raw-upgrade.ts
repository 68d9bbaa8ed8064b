// A raw TLS connection to the API server for upgrade fuzzing: write any handshake and any bytes, see
// the response head, and learn whether the server closed the connection in time. Nothing here trusts
// the bytes it gets back.
import {createHash, randomBytes} from 'node:crypto'
import tls from 'node:tls'
import type {TestCluster} from '../integration/harness.js'

export interface RawConnection {
  /** Resolves with the response head (status line and headers) once `\r\n\r\n` arrived, or undefined if the server closed first. */
  head: Promise<{status: number; headers: Record<string, string>; raw: string} | undefined>
  write(bytes: Buffer | string): void
  /** True once the server ended or reset the connection. */
  readonly closed: boolean
  /** Resolves true when the server closed within ms, false otherwise. */
  waitClosed(ms: number): Promise<boolean>
  destroy(): void
}

export function openRaw(k: TestCluster, timeoutMs = 5_000): Promise<RawConnection> {
  const port = Number(new URL(k.url).port)
  return new Promise((resolve, reject) => {
    const socket = tls.connect({host: '127.0.0.1', port, ca: k.certificates.caCert, cert: k.certificates.adminCert, key: k.certificates.adminKey, ALPNProtocols: ['http/1.1']})
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('TLS connect timed out'))
    }, timeoutMs)
    let closed = false
    let received = Buffer.alloc(0)
    let resolveHead: (h: Awaited<RawConnection['head']>) => void = () => undefined
    const head = new Promise<Awaited<RawConnection['head']>>((r) => (resolveHead = r))
    const closeWaiters: Array<() => void> = []
    socket.on('data', (chunk: Buffer) => {
      if (received.length < 65_536) received = Buffer.concat([received, chunk])
      const end = received.indexOf('\r\n\r\n')
      if (end >= 0) resolveHead(parseHead(received.subarray(0, end).toString('latin1')))
    })
    const onClose = () => {
      closed = true
      resolveHead(undefined)
      for (const w of closeWaiters.splice(0)) w()
    }
    socket.on('close', onClose)
    socket.on('error', () => undefined)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      resolve({
        head,
        write: (bytes) => {
          if (!socket.destroyed) socket.write(bytes)
        },
        get closed() {
          return closed
        },
        waitClosed: (ms) =>
          closed
            ? Promise.resolve(true)
            : new Promise((r) => {
                const t = setTimeout(() => r(false), ms)
                closeWaiters.push(() => {
                  clearTimeout(t)
                  r(true)
                })
              }),
        destroy: () => socket.destroy(),
      })
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

function parseHead(text: string): {status: number; headers: Record<string, string>; raw: string} {
  const [statusLine, ...lines] = text.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const i = line.indexOf(':')
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
  }
  return {status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0), headers, raw: text}
}

/** An HTTP/1.1 request head with the given headers (values are sent as given, CRLFs and all). */
export function requestHead(method: string, path: string, headers: Record<string, string>): string {
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`
}

export function websocketKey(): {key: string; accept: string} {
  const key = randomBytes(16).toString('base64')
  return {key, accept: createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC11B65`).digest('base64')}
}

/** One client WebSocket frame (clients must mask); opcode 2 = binary. Lengths and flags as given. */
export function wsFrame(payload: Buffer, opts: {opcode?: number; fin?: boolean; mask?: boolean; rsv?: number; lieLength?: bigint} = {}): Buffer {
  const opcode = opts.opcode ?? 2
  const first = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | (opcode & 0x0f)
  const mask = opts.mask ?? true
  const length = opts.lieLength ?? BigInt(payload.length)
  let lengthBytes: Buffer
  if (length < 126n) lengthBytes = Buffer.of((mask ? 0x80 : 0) | Number(length))
  else if (length < 65_536n) {
    lengthBytes = Buffer.alloc(3)
    lengthBytes[0] = (mask ? 0x80 : 0) | 126
    lengthBytes.writeUInt16BE(Number(length), 1)
  } else {
    lengthBytes = Buffer.alloc(9)
    lengthBytes[0] = (mask ? 0x80 : 0) | 127
    lengthBytes.writeBigUInt64BE(length, 1)
  }
  if (!mask) return Buffer.concat([Buffer.of(first), lengthBytes, payload])
  const key = randomBytes(4)
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!))
  return Buffer.concat([Buffer.of(first), lengthBytes, key, masked])
}
