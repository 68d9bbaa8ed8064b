// One watch connection read as newline-delimited JSON, delivered to a callback as each line arrives.
// Its own socket (no pooled agent), so a hundred open watches never starve ordinary requests.
import https from 'node:https'
import type {Tls} from './child-cluster.js'

export interface WatchLine {
  type: string
  object: any
}

export interface WatchConnection {
  /** HTTP status of the watch response (0 if the connection failed before an answer). */
  status(): number
  close(): void
  /** Resolves when the stream ends for any reason (server end, reset, close()). */
  ended: Promise<void>
}

export function openWatch(target: {port: number; tls: Tls}, path: string, onLine: (line: WatchLine) => void): WatchConnection {
  let status = 0
  let finish: () => void = () => undefined
  const ended = new Promise<void>((resolve) => (finish = resolve))
  const req = https.request({host: '127.0.0.1', port: target.port, method: 'GET', path, agent: false, ...target.tls, headers: {Accept: 'application/json'}}, (res) => {
    status = res.statusCode ?? 0
    let buffer = ''
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => {
      buffer += chunk
      let nl: number
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const raw = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        if (raw !== '') onLine(JSON.parse(raw) as WatchLine)
      }
    })
    res.on('close', finish)
    res.on('error', finish)
  })
  req.on('error', finish)
  req.on('close', () => {
    if (status === 0) finish()
  })
  req.end()
  return {status: () => status, close: () => req.destroy(), ended}
}
