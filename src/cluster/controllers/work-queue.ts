// A deduplicating work queue (client-go's shape): a key queued several times before a worker takes
// it is processed once; a key being processed is re-queued after, never run twice at once.

const COARSE_DELAY_MS = 60_000

export class WorkQueue {
  // FIFO as an array with a moving head: Array.shift() copies the rest of the array, which made
  // draining 10,000 queued keys quadratic (seconds of CPU, measured with bench/scale.ts).
  private queue: string[] = []
  private head = 0
  private readonly queued = new Set<string>()
  private readonly processing = new Set<string>()
  private readonly dirtyWhileProcessing = new Set<string>()
  private waiters: Array<() => void> = []
  private shuttingDown = false
  private readonly timers = new Set<NodeJS.Timeout>()
  /** When each key last went to a worker, for addThrottled(). */
  private readonly lastStarted = new Map<string, number>()
  /** Keys with a throttled add pending. */
  private readonly deferred = new Set<string>()
  /** Long delays by the whole second they end at: one timer per second, not one per key. */
  private readonly buckets = new Map<number, Set<string>>()

  add(key: string): void {
    if (this.shuttingDown) return
    if (this.processing.has(key)) {
      this.dirtyWhileProcessing.add(key)
      return
    }
    if (this.queued.has(key)) return
    this.queued.add(key)
    this.queue.push(key)
    this.waiters.shift()?.()
  }

  /**
   * Adds the key after `delayMs`. A delay of a minute or more ends at the next whole second, and keys
   * ending in the same second share one timer: the event TTL parks every event written (40,000 in the
   * 10,000-pod run) for an hour, and a timer each held megabytes.
   */
  addAfter(key: string, delayMs: number, now = Date.now()): void {
    if (this.shuttingDown) return
    if (delayMs >= COARSE_DELAY_MS) {
      const due = Math.ceil((now + delayMs) / 1000) * 1000
      const bucket = this.buckets.get(due)
      if (bucket) {
        bucket.add(key)
        return
      }
      this.buckets.set(due, new Set([key]))
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        const keys = this.buckets.get(due)
        this.buckets.delete(due)
        for (const k of keys ?? []) this.add(k)
      }, due - now)
      timer.unref()
      this.timers.add(timer)
      return
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.add(key)
    }, delayMs)
    timer.unref()
    this.timers.add(timer)
  }

  /**
   * Adds the key now if it has not gone to a worker in the last `minIntervalMs`, else once that much
   * time has passed since it did. A burst of events for one key (a ReplicaSet's 100 pods changing)
   * then costs a reconcile per interval instead of one per event, while a lone event runs at once.
   */
  addThrottled(key: string, minIntervalMs: number, now = Date.now()): void {
    if (this.shuttingDown || this.queued.has(key) || this.deferred.has(key)) return
    const wait = (this.lastStarted.get(key) ?? -Infinity) + minIntervalMs - now
    if (wait <= 0 || this.processing.has(key)) {
      this.add(key)
      return
    }
    this.deferred.add(key)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.deferred.delete(key)
      this.add(key)
    }, wait)
    timer.unref()
    this.timers.add(timer)
  }

  /** Next key to process, or undefined once the queue shuts down. Call done(key) after processing. */
  async get(): Promise<string | undefined> {
    // Shutting down drops what is still queued: a level-based reconciler sees it again after a restart.
    while (this.length === 0 || this.shuttingDown) {
      if (this.shuttingDown) return undefined
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
    const key = this.queue[this.head++]!
    // Drop the consumed prefix once it is most of the array (amortised O(1) per key).
    if (this.head === this.queue.length) {
      this.queue = []
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    this.queued.delete(key)
    this.processing.add(key)
    if (this.lastStarted.size >= 50_000) this.lastStarted.clear()
    this.lastStarted.set(key, Date.now())
    return key
  }

  done(key: string): void {
    this.processing.delete(key)
    if (this.dirtyWhileProcessing.delete(key)) this.add(key)
  }

  get length(): number {
    return this.queue.length - this.head
  }

  shutDown(): void {
    this.shuttingDown = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.buckets.clear()
    for (const w of this.waiters.splice(0)) w()
  }
}
