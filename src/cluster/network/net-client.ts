// The control plane's side of the kcluster-net connection (net-protocol.ts): one TCP connection to the
// container's control port, the token first, then the latest state whenever it changes. The state is
// level-based: after a reconnect (kcluster-net restarted, Docker restarted) the latest state is sent
// again, so nothing depends on which messages got through before.
import {createConnection, type Socket} from 'node:net'
import type {Clock} from '../clock.js'
import {logger} from '../log.js'
import type {NetCommand, NetReport, NetState} from './net-protocol.js'

const RETRY_MIN_MS = 200
const RETRY_MAX_MS = 5_000

export interface NetClientOptions {
  /** Where kcluster-net listens; asked again before each connection attempt (its address may change when it is made again). */
  target: () => Promise<{host: string; port: number}>
  token: string
  clock: Clock
  onReport?: (report: NetReport) => void
}

export class NetClient {
  private readonly log = logger('net-client')
  private socket?: Socket
  private latest?: NetState
  private generation = 0
  private retryMs = RETRY_MIN_MS
  private closed = false
  private readonly abort = new AbortController()
  private connecting?: Promise<void>
  /** When the connection was last lost (or the client made), while not connected; undefined while connected. */
  private downSince?: Date
  private lastError?: string

  constructor(private readonly opts: NetClientOptions) {
    this.downSince = opts.clock.now()
  }

  /** Whether a connection to kcluster-net is open, and if not, since when and why (`kcluster status`). */
  connection(): {connected: true; target: string} | {connected: false; since: Date; lastError?: string} {
    const socket = this.socket
    if (socket) return {connected: true, target: `${socket.remoteAddress}:${socket.remotePort}`}
    return {connected: false, since: this.downSince ?? this.opts.clock.now(), ...(this.lastError && {lastError: this.lastError})}
  }

  /** Sends `state` now if connected, else once connected. */
  send(state: NetState): void {
    this.latest = state
    this.generation++
    if (this.socket) this.write({state, generation: this.generation})
    else this.connecting ??= this.connect()
  }

  close(): void {
    this.closed = true
    this.abort.abort()
    this.socket?.destroy()
  }

  private async connect(): Promise<void> {
    while (!this.closed) {
      try {
        const target = await this.opts.target()
        const socket = await open(target.host, target.port)
        this.attach(socket)
        this.retryMs = RETRY_MIN_MS
        break
      } catch (error) {
        this.lastError = (error as Error).message
        this.log.debug({err: error}, 'kcluster-net not reachable yet')
        await this.opts.clock.sleep(this.retryMs, this.abort.signal).catch(() => undefined)
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
      }
    }
    this.connecting = undefined
  }

  private attach(socket: Socket): void {
    this.socket = socket
    this.downSince = undefined
    this.lastError = undefined
    this.write({token: this.opts.token})
    if (this.latest) this.write({state: this.latest, generation: this.generation})
    let buffered = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      buffered += chunk
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline)
        buffered = buffered.slice(newline + 1)
        try {
          this.opts.onReport?.(JSON.parse(line) as NetReport)
        } catch (error) {
          this.log.warn({err: error}, 'kcluster-net sent a line that is not a report')
        }
      }
    })
    socket.on('error', (error) => this.log.debug({err: error}, 'kcluster-net connection failed'))
    socket.on('close', () => {
      if (this.socket === socket) {
        this.socket = undefined
        this.downSince = this.opts.clock.now()
      }
      if (!this.closed && this.latest) this.connecting ??= this.connect()
    })
  }

  private write(command: NetCommand): void {
    this.socket?.write(`${JSON.stringify(command)}\n`)
  }
}

/**
 * How long a connection attempt may take. kcluster-net answers at once when it runs; when its
 * container is gone (an engine restart) nothing on the bridge answers the SYN, and without a bound the
 * kernel's retries would hold the reconnection for two minutes.
 */
const CONNECT_TIMEOUT_MS = 3_000

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({host, port})
    const timer = setTimeout(() => socket.destroy(new Error(`connect ${host}:${port}: timed out after ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.removeListener('error', reject)
      resolve(socket)
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}
