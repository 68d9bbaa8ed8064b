// The kubelet's PLEG on Docker: one `GET /events` stream per runtime, filtered to the cluster's
// containers dying (apps, and sandboxes, reported as their pod's app containers), turned into
// RuntimeContainer notifications. Open only while someone listens; reconnects after an engine
// hiccup, asking for the events it missed (`since`).
import type Docker from 'dockerode'
import type {Clock} from '../../clock.js'
import {logger} from '../../log.js'
import type {RuntimeContainer} from '../runtime.js'
import {LABEL} from './labels.js'

type Listener = (container: RuntimeContainer) => void

export interface ContainerEventsOptions {
  docker: Docker
  cluster: string
  clock: Clock
  /** The container's current state, or undefined once it is gone. */
  describe(id: string): Promise<RuntimeContainer | undefined>
  /**
   * Every container of the cluster, reported after a reconnect: events from before an engine restart
   * are gone (the engine keeps them in memory), so what died meanwhile is found by looking (PLEG's relist).
   */
  relist?(): Promise<RuntimeContainer[]>
  reconnectDelayMs?: number
}

export class ContainerEvents {
  private readonly listeners = new Set<Listener>()
  private readonly log = logger('docker-events')
  private controller?: AbortController

  constructor(private readonly opts: ContainerEventsOptions) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    if (!this.controller) {
      this.controller = new AbortController()
      void this.run(this.controller.signal)
    }
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size > 0) return
      this.controller?.abort()
      this.controller = undefined
    }
  }

  /** Reads the stream until unsubscribed; each lost connection costs one reconnect delay. */
  private async run(signal: AbortSignal): Promise<void> {
    let since: number | undefined
    let connectedBefore = false
    while (!signal.aborted) {
      try {
        // Sandboxes too: one that dies leaves its pod's app containers without a network (describe maps it to them).
        const filters = {type: ['container'], event: ['die'], label: [`${LABEL.cluster}=${this.opts.cluster}`]}
        const stream = await this.opts.docker.getEvents({filters, ...(since !== undefined && {since}), abortSignal: signal} as object)
        if (connectedBefore) void this.relistAll()
        connectedBefore = true
        await readLines(stream, signal, (line) => {
          const event = JSON.parse(line) as {id?: string; time?: number}
          if (event.time) since = event.time
          if (event.id) void this.notify(event.id)
        })
      } catch (error) {
        if (signal.aborted) return
        this.log.warn({err: error}, 'docker event stream failed')
      }
      since ??= Math.floor(this.opts.clock.now().getTime() / 1000)
      await this.opts.clock.sleep(this.opts.reconnectDelayMs ?? 1000, signal).catch(() => undefined)
    }
  }

  private async relistAll(): Promise<void> {
    try {
      for (const container of (await this.opts.relist?.()) ?? []) for (const listener of this.listeners) listener(container)
    } catch (error) {
      this.log.warn({err: error}, 'relist after reconnecting failed')
    }
  }

  private async notify(id: string): Promise<void> {
    try {
      const container = await this.opts.describe(id)
      if (container) for (const listener of this.listeners) listener(container)
    } catch (error) {
      this.log.warn({err: error, container: id}, 'container event not delivered')
    }
  }
}

/** Calls `onLine` for each complete JSON line of the stream; resolves when it ends or the signal aborts. */
function readLines(stream: NodeJS.ReadableStream, signal: AbortSignal, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = ''
    const stop = () => {
      ;(stream as {destroy?: () => void}).destroy?.()
      resolve()
    }
    signal.addEventListener('abort', stop, {once: true})
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) onLine(line)
    })
    stream.on('end', () => {
      signal.removeEventListener('abort', stop)
      resolve()
    })
    stream.on('error', (error) => {
      signal.removeEventListener('abort', stop)
      if (signal.aborted) resolve()
      else reject(error)
    })
  })
}
