// kcluster-net's control port: the control plane connects, proves it holds the token the container was
// started with (pods share the network and must not be able to reprogram it), then sends NetCommands,
// one JSON object per line, and reads one NetReport line per state. A line that is not a state command
// is answered with an error report and the connection carries on; only an overlong line ends it,
// since the stream can no longer be cut into lines. States from every connection share one queue.
import {createHash, timingSafeEqual} from 'node:crypto'
import {createServer, type Socket} from 'node:net'
import {logger} from '../../log.js'
import {NET_CONTROL_PORT, type NetReport} from '../net-protocol.js'
import {LatestStateQueue, type Failures} from './latest-state-queue.js'
import {LineSplitter} from './line-splitter.js'

export interface ControlServerOptions {
  host: string
  /** Default NET_CONTROL_PORT; 0 picks a free port (tests). */
  port?: number
  token: string
  /** Applies one desired state (unchecked JSON) and resolves with what failed; NetAgent.apply. */
  apply: (state: unknown) => Promise<Failures>
  /** Longest line accepted once authenticated; default 64 MiB. */
  maxLineBytes?: number
  /** How long a new connection has to send its token; default 10 s. */
  authTimeoutMs?: number
}

export interface ControlServer {
  readonly port: number
  close(): Promise<void>
}

/** The generation of an error report for a line that names none. */
export const NO_GENERATION = -1
/** The failure key of a line that is not a state command. */
export const COMMAND_KEY = 'command'

const log = logger('net-control')
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024
// The token line is short; a peer that has not authenticated gets no more room than this.
const AUTH_LINE_BYTES = 4096
const MAX_CONNECTIONS = 256

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const queue = new LatestStateQueue(options.apply)
  const expected = digest(options.token)
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  const connections = new Set<Socket>()

  const server = createServer({allowHalfOpen: true}, (socket) => {
    connections.add(socket)
    socket.on('close', () => connections.delete(socket))
    socket.on('error', (err) => log.debug({err: err.message}, 'control connection failed'))
    serve(socket)
  })
  server.maxConnections = MAX_CONNECTIONS

  function serve(socket: Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`
    const splitter = new LineSplitter(AUTH_LINE_BYTES)
    let authenticated = false
    let unanswered = 0
    let peerEnded = false
    let stalled = false
    const authTimer = setTimeout(() => refuse('no token in time'), options.authTimeoutMs ?? 10_000)

    function refuse(reason: string): false {
      clearTimeout(authTimer)
      log.warn({peer, reason}, 'control connection refused')
      socket.destroy()
      return false
    }
    function send(report: NetReport): void {
      if (socket.destroyed || !socket.writable) return
      // A peer that does not read its reports stops being read, so it cannot queue unbounded output.
      if (!socket.write(`${JSON.stringify(report)}\n`) && !stalled) {
        stalled = true
        socket.pause()
        socket.once('drain', () => {
          stalled = false
          socket.resume()
        })
      }
    }
    function settleOne(): void {
      if (--unanswered === 0 && peerEnded) socket.end()
    }
    function onLine(line: string): boolean {
      if (!authenticated) {
        if (!tokenMatches(line, expected)) return refuse('wrong token')
        authenticated = true
        clearTimeout(authTimer)
        splitter.maxBytes = maxLineBytes
        log.info({peer}, 'control connection authenticated')
        return true
      }
      if (line.trim() === '') return true
      const command = parseStateCommand(line)
      if ('problem' in command) {
        send({generation: command.generation, failures: [{key: COMMAND_KEY, message: command.problem}]})
        return true
      }
      unanswered++
      queue.submit(command.state, command.generation, (report) => {
        send(report)
        settleOne()
      })
      return true
    }

    socket.on('data', (chunk: Buffer) => {
      const tooLong = splitter.push(chunk, onLine)
      if (!tooLong || socket.destroyed) return
      if (!authenticated) return void refuse('token line too long')
      send({generation: NO_GENERATION, failures: [{key: COMMAND_KEY, message: `${tooLong.message}; closing the connection`}]})
      socket.end()
    })
    socket.on('end', () => {
      peerEnded = true
      if (!authenticated) return void refuse('closed before the token')
      if (unanswered === 0) socket.end()
    })
    socket.on('close', () => clearTimeout(authTimer))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({host: options.host, port: options.port ?? NET_CONTROL_PORT}, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (err) => log.warn({err: err.message}, 'control server failed'))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  log.info({host: options.host, port}, 'control server listening')

  return {
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of connections) socket.destroy()
      await closed
      await queue.whenIdle()
    },
  }
}

// Hashing both sides first makes the comparison constant-time whatever the lengths.
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

function tokenMatches(line: string, expected: Buffer): boolean {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return false
  }
  const token = (parsed as {token?: unknown} | null)?.token
  return typeof token === 'string' && timingSafeEqual(digest(token), expected)
}

type StateCommand = {state: unknown; generation: number} | {problem: string; generation: number}

function parseStateCommand(line: string): StateCommand {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch (error) {
    return {problem: `malformed command: ${(error as Error).message}`, generation: NO_GENERATION}
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {problem: 'malformed command: not a JSON object', generation: NO_GENERATION}
  const {state, generation} = parsed as {state?: unknown; generation?: unknown}
  const known = typeof generation === 'number' && Number.isFinite(generation) ? generation : undefined
  if (known === undefined) return {problem: 'malformed command: generation must be a number', generation: NO_GENERATION}
  if (state === undefined) return {problem: 'malformed command: no state', generation: known}
  return {state, generation: known}
}
