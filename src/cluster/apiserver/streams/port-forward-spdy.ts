// port-forward over SPDY (raw, or tunnelled in a WebSocket by kubectl >= 1.31): per local
// connection the client opens an `error` and a `data` stream sharing a `requestid`; once both exist
// the pod port is dialled and bytes copied until either side closes (kubectl-compat §7.3).
import type {Duplex} from 'node:stream'
import {logger} from '../../log.js'
import type {SpdyConnection} from './spdy-connection.js'
import type {SpdyStream} from './spdy-stream.js'

const log = logger('port-forward')

/** How long the second stream of a pair may lag behind the first (the kubelet's default). */
const PAIR_WAIT_MS = 30_000

export interface PortForwardDialer {
  /** Names the pod in error messages, as the kubelet does: `pod web, uid 1234`. */
  describe: string
  dial(port: number): Promise<Duplex>
}

interface StreamPair {
  error?: SpdyStream
  data?: SpdyStream
  timer: NodeJS.Timeout
}

export function servePortForwardSpdy(conn: SpdyConnection, dialer: PortForwardDialer, shutdownSignal: AbortSignal): void {
  const pairs = new Map<string, StreamPair>()
  const onShutdown = () => conn.destroy()
  shutdownSignal.addEventListener('abort', onShutdown, {once: true})
  conn.once('close', () => {
    shutdownSignal.removeEventListener('abort', onShutdown)
    for (const pair of pairs.values()) clearTimeout(pair.timer)
    pairs.clear()
  })
  conn.on('stream', (stream) => {
    const type = stream.headers.streamtype
    const requestId = requestIdOf(stream)
    if ((type !== 'error' && type !== 'data') || requestId === undefined) return stream.cancel(1)
    let pair = pairs.get(requestId)
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(requestId)
        const lonely = pair?.error ?? pair?.data
        if (pair?.error) pair.error.end('timed out waiting for the data stream')
        lonely?.cancel()
      }, PAIR_WAIT_MS)
      timer.unref()
      pair = {timer}
      pairs.set(requestId, pair)
    }
    if (pair[type]) return stream.cancel(1)
    pair[type] = stream
    if (pair.error && pair.data) {
      clearTimeout(pair.timer)
      pairs.delete(requestId)
      void forward(pair.error, pair.data, dialer)
    }
  })
}

/** Old clients send no requestid; the kubelet pairs them by stream id (data = error + 2). */
function requestIdOf(stream: SpdyStream): string | undefined {
  const explicit = stream.headers.requestid
  if (explicit) return explicit
  if (stream.headers.streamtype === 'error') return String(stream.id)
  if (stream.headers.streamtype === 'data') return String(stream.id - 2)
  return undefined
}

async function forward(errorStream: SpdyStream, dataStream: SpdyStream, dialer: PortForwardDialer): Promise<void> {
  // The client half-closes its error stream at once and never writes to it.
  errorStream.resume()
  errorStream.on('error', () => undefined)
  dataStream.on('error', () => undefined)
  const port = Number(dataStream.headers.port)
  const fail = (reason: string) => {
    if (!errorStream.destroyed) errorStream.end(`error forwarding port ${dataStream.headers.port} to ${dialer.describe}: ${reason}`)
    if (!dataStream.destroyed) dataStream.end()
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`invalid port ${JSON.stringify(dataStream.headers.port ?? '')}`)
  let target: Duplex
  try {
    target = await dialer.dial(port)
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
  if (dataStream.destroyed) {
    target.destroy()
    return
  }
  let targetFailed = false
  target.on('error', (error) => {
    targetFailed = true
    log.debug({err: error, port}, 'port-forward target failed')
    fail(error.message)
  })
  // Client FIN on data = its local socket finished sending: half-close towards the pod.
  dataStream.pipe(target)
  target.pipe(dataStream)
  // Client RST on data = its local connection is gone: drop the pod connection too.
  dataStream.on('close', () => {
    target.destroy()
    if (!errorStream.destroyed) errorStream.end()
  })
  target.on('close', () => {
    if (targetFailed) return
    if (!dataStream.destroyed && !dataStream.writableEnded) dataStream.end()
    if (!errorStream.destroyed && !errorStream.writableEnded) errorStream.end()
  })
}
