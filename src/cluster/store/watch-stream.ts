// One watcher: replays history from the log in pages, then yields live events from a bounded buffer.
// A watcher that falls too far behind is failed with WATCH_OVERFLOW (the client re-watches) rather
// than slowing writers down or growing without bound.
import {CompactedError, StoreError, type StoreEvent} from './store.js'

export interface HistorySource {
  /** Events with after < revision <= upTo under the prefix, oldest first, at most `limit`. */
  read(after: number, upTo: number, limit: number): StoreEvent[]
  compactRevision(): number
}

export interface WatchStreamOptions {
  prefix: string
  fromRevision: number
  /** The committed revision when the watch was registered: history covers up to here, live the rest. */
  registeredAt: number
  history: HistorySource
  bufferLimit: number
  pageSize: number
  onEnd: (stream: WatchStream) => void
}

type Waiter = {resolve: (result: IteratorResult<StoreEvent>) => void; reject: (error: unknown) => void}

export class WatchStream implements AsyncIterableIterator<StoreEvent> {
  readonly prefix: string
  private cursor: number
  private readonly replayUpTo: number
  private page: StoreEvent[] = []
  private live: StoreEvent[] = []
  private liveHead = 0
  /** Highest revision handed to the buffers; live events at or below it are duplicates. */
  private lastQueued: number
  private failure: Error | undefined
  private ended = false
  private waiters: Waiter[] = []

  constructor(private readonly options: WatchStreamOptions) {
    this.prefix = options.prefix
    this.cursor = options.fromRevision
    this.replayUpTo = options.registeredAt
    this.lastQueued = Math.max(options.fromRevision, options.registeredAt)
  }

  /** Live fan-out, called after commit. Never blocks: overflow fails this watcher instead. */
  push(event: StoreEvent): void {
    if (this.ended || event.revision <= this.lastQueued || !event.key.startsWith(this.prefix)) return
    this.lastQueued = event.revision
    this.live.push(event)
    if (this.live.length - this.liveHead > this.options.bufferLimit) {
      this.fail(
        new StoreError(
          `watch ${this.prefix}: more than ${this.options.bufferLimit} events pending; re-watch from the last revision seen`,
          'WATCH_OVERFLOW',
        ),
      )
      return
    }
    this.wake()
  }

  /** Ends the iterator: pending and future next() calls finish with done. */
  close(): void {
    if (this.ended) return
    this.end()
    this.wake()
  }

  next(): Promise<IteratorResult<StoreEvent>> {
    try {
      const result = this.pull()
      if (result) return Promise.resolve(result)
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise((resolve, reject) => this.waiters.push({resolve, reject}))
  }

  return(): Promise<IteratorResult<StoreEvent>> {
    this.close()
    return Promise.resolve({done: true, value: undefined})
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  private fail(error: Error): void {
    if (this.ended) return
    this.failure = error
    this.end()
    this.wake()
  }

  private end(): void {
    this.ended = true
    this.page = []
    this.live = []
    this.liveHead = 0
    this.options.onEnd(this)
  }

  /** The next result if one is available now, undefined if the caller must wait; throws a failure once. */
  private pull(): IteratorResult<StoreEvent> | undefined {
    if (this.failure) {
      const failure = this.failure
      this.failure = undefined
      throw failure
    }
    if (this.ended) return {done: true, value: undefined}
    // Each page read advances the cursor, so this ends by replayUpTo at the latest.
    while (this.page.length === 0 && this.cursor < this.replayUpTo) this.readPage()
    const fromPage = this.page.shift()
    if (fromPage) return {done: false, value: fromPage}
    if (this.liveHead < this.live.length) {
      const event = this.live[this.liveHead]!
      this.liveHead += 1
      // Drop consumed slots in bulk so the array does not keep every delivered event alive.
      if (this.liveHead >= 1024 && this.liveHead * 2 >= this.live.length) {
        this.live = this.live.slice(this.liveHead)
        this.liveHead = 0
      }
      return {done: false, value: event}
    }
    return undefined
  }

  private readPage(): void {
    const {history, pageSize, prefix} = this.options
    const compacted = history.compactRevision()
    if (compacted > this.cursor) {
      // Compaction removed history this watcher had not yet replayed: it can no longer be gap-free.
      this.end()
      throw new CompactedError(this.cursor, compacted)
    }
    const events = history.read(this.cursor, this.replayUpTo, pageSize)
    this.cursor = events.length < pageSize ? this.replayUpTo : events[events.length - 1]!.revision
    this.page = events.filter((event) => event.key.startsWith(prefix))
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      let result: IteratorResult<StoreEvent> | undefined
      try {
        result = this.pull()
      } catch (error) {
        this.waiters.shift()!.reject(error)
        continue
      }
      if (!result) return
      this.waiters.shift()!.resolve(result)
    }
  }
}
