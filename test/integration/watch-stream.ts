// A watch response read as newline-delimited JSON events, with every wait bounded.
import type {IncomingHttpHeaders, IncomingMessage} from 'node:http'

const DEFAULT_TIMEOUT_MS = 10_000

export interface WatchEvent {
  type: string
  object: any
  /** The line as it came off the wire (without the trailing newline). */
  raw: string
}

export interface WatchStream {
  status: number
  headers: IncomingHttpHeaders
  /** The next event; rejects if none arrives in time or the stream ends first. */
  next(timeoutMs?: number): Promise<WatchEvent>
  /** Events up to and including the first one that satisfies `until`. */
  collect(until: (e: WatchEvent) => boolean, timeoutMs?: number): Promise<WatchEvent[]>
  /** Resolves with the events still unread once the server ends the stream; rejects after timeoutMs. */
  ended(timeoutMs?: number): Promise<WatchEvent[]>
  close(): void
}

export function lineReader(res: IncomingMessage): WatchStream {
  const queue: WatchEvent[] = []
  let buffer = ''
  let done = false
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    buffer += chunk
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const raw = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      if (raw === '') continue
      let parsed: {type?: string; object?: unknown}
      try {
        parsed = JSON.parse(raw)
      } catch {
        parsed = {type: 'UNPARSEABLE', object: raw}
      }
      queue.push({type: String(parsed.type), object: parsed.object, raw})
    }
    notify()
  })
  const finish = () => {
    done = true
    notify()
  }
  res.on('end', finish)
  res.on('close', finish)
  res.on('error', finish)

  // Wait until the queue has something or the stream ended; false on timeout.
  const waitForData = (deadline: number) =>
    new Promise<boolean>((resolve) => {
      if (queue.length > 0 || done) return resolve(true)
      const timer = setTimeout(() => {
        wake = undefined
        resolve(false)
      }, Math.max(0, deadline - Date.now()))
      wake = () => {
        clearTimeout(timer)
        resolve(true)
      }
    })

  const stream: WatchStream = {
    status: res.statusCode ?? 0,
    headers: res.headers,
    async next(timeoutMs = DEFAULT_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        if (queue.length > 0) return queue.shift()!
        if (done) throw new Error('watch stream ended before the next event')
        if (!(await waitForData(deadline))) throw new Error(`no watch event within ${timeoutMs} ms`)
      }
    },
    async collect(until, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs
      const seen: WatchEvent[] = []
      for (;;) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`watch condition not met within ${timeoutMs} ms; saw ${JSON.stringify(seen.map((e) => e.type))}`)
        const event = await stream.next(left)
        seen.push(event)
        if (until(event)) return seen
      }
    },
    async ended(timeoutMs = DEFAULT_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs
      while (!done) {
        if (Date.now() >= deadline) throw new Error(`watch stream still open after ${timeoutMs} ms`)
        // Unread events do not end the wait; only the end of the stream does.
        if (queue.length > 0) await new Promise((r) => setTimeout(r, 10))
        else await waitForData(deadline)
      }
      return queue.splice(0)
    },
    close() {
      res.destroy()
    },
  }
  return stream
}
