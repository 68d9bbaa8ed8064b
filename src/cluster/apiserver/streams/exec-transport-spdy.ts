// exec/attach over SPDY/3.1 (kubectl <= 1.29, and the fallback of newer ones): the client opens one
// stream per channel, `error` first, named by the `streamtype` header (kubectl-compat §7.2).
import type {Readable} from 'node:stream'
import {parseTerminalSize} from './exec-status.js'
import type {ExecTransport} from './exec-session.js'
import type {SpdyConnection} from './spdy-connection.js'
import type {SpdyStream} from './spdy-stream.js'

export interface SpdyExecStreams {
  stdin: boolean
  stdout: boolean
  stderr: boolean
  tty: boolean
}

/** client-go's default stream creation timeout. */
const STREAM_WAIT_MS = 30_000
/** After the Status, how long the client gets to hang up before the server does. */
const HANGUP_WAIT_MS = 2_000

export class StreamWaitError extends Error {
  override name = 'StreamWaitError'
  readonly code = 'STREAM_WAIT_TIMEOUT'
}

/** Waits until the client opened every stream the request asked for, then builds the transport. */
export async function spdyExecTransport(conn: SpdyConnection, wanted: SpdyExecStreams): Promise<ExecTransport> {
  const expected = new Set(['error'])
  if (wanted.stdin) expected.add('stdin')
  if (wanted.stdout) expected.add('stdout')
  if (wanted.stderr && !wanted.tty) expected.add('stderr')
  if (wanted.tty) expected.add('resize')
  const streams = await collectStreams(conn, expected)
  const clientGone = new Promise<void>((resolve) => (conn.isClosed ? resolve() : conn.once('close', () => resolve())))
  const error = streams.get('error')!
  let finished = false
  return {
    stdin: streams.get('stdin'),
    stdout: streams.get('stdout'),
    stderr: streams.get('stderr'),
    onResize: (listener) => readResizes(streams.get('resize'), listener),
    clientGone,
    async finish(status) {
      if (finished) return
      finished = true
      await new Promise<void>((resolve, reject) => error.end(JSON.stringify(status), (e?: Error | null) => (e ? reject(e) : resolve())))
      // The client resets its streams and sends GOAWAY once it has read the status.
      await Promise.race([clientGone, delay(HANGUP_WAIT_MS)])
      await conn.close()
    },
    abort: () => conn.destroy(),
  }
}

function collectStreams(conn: SpdyConnection, expected: Set<string>): Promise<Map<string, SpdyStream>> {
  return new Promise((resolve, reject) => {
    const found = new Map<string, SpdyStream>()
    const cleanup = () => {
      clearTimeout(timer)
      conn.off('stream', onStream)
      conn.off('close', onClose)
    }
    const onStream = (stream: SpdyStream) => {
      const type = stream.headers.streamtype ?? ''
      if (!expected.has(type) || found.has(type)) return stream.cancel()
      found.set(type, stream)
      if (found.size === expected.size) {
        cleanup()
        resolve(found)
      }
    }
    const onClose = () => {
      cleanup()
      reject(new StreamWaitError('the client closed the connection before opening its streams'))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new StreamWaitError(`timed out waiting for the client to create streams [${[...expected].join(' ')}]`))
    }, STREAM_WAIT_MS)
    conn.on('stream', onStream)
    conn.on('close', onClose)
  })
}

/** client-go writes one JSON object per resize, each followed by a newline (json.Encoder). */
function readResizes(stream: Readable | undefined, listener: (size: {width: number; height: number}) => void): void {
  if (!stream) return
  let buffered = ''
  stream.setEncoding('utf8')
  stream.on('data', (text: string) => {
    buffered += text
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    if (buffered.length > 4096) buffered = ''
    for (const line of lines) {
      const size = line.trim() ? parseTerminalSize(line) : undefined
      if (size) listener(size)
    }
  })
  stream.on('error', () => undefined)
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
