// Collects the writes made in one event-loop turn and commits them together on setImmediate, so
// many concurrent callers share one transaction (and one fsync) instead of paying one each. A batch
// is then settled (made durable) off the event loop before its callers hear back; writes arriving
// meanwhile queue up and form the next batch, so there is at most one batch between commit and
// acknowledgement: group commit.

interface Pending<Op, Out> {
  op: Op
  resolve: (value: Out) => void
  reject: (error: unknown) => void
}

/**
 * `commit` runs synchronously with every queued op and returns one outcome per op (an Error rejects
 * only that op); if it throws, every op of the batch is rejected with what it threw.
 */
export type CommitFn<Op, Out> = (ops: Op[]) => Array<Out | Error>

/**
 * Runs after a commit and before any op of the batch is answered (the store fsyncs its WAL here);
 * when it rejects, every op of the batch is rejected with its error. `sync` asks for a blocking
 * settle (close() uses it).
 */
export type SettleFn<Out> = (outcomes: Array<Out | Error>, sync: boolean) => Promise<void> | void

export class WriteBatcher<Op, Out> {
  private queue: Array<Pending<Op, Out>> = []
  private scheduled: NodeJS.Immediate | undefined
  private settling: Promise<void> | undefined

  /**
   * `maxBatch` bounds one transaction: it caps how long a commit blocks the event loop and how many
   * events one commit hands each watcher before consumers get to run.
   */
  constructor(
    private readonly commit: CommitFn<Op, Out>,
    private readonly maxBatch = 1000,
    private readonly settle: SettleFn<Out> = () => undefined,
  ) {}

  /** Queues `op` for the next flush; resolves only after the batch holding it has committed and settled. */
  submit(op: Op): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({op, resolve, reject})
      if (!this.settling) this.scheduled ??= setImmediate(() => this.flushBatch())
    })
  }

  /**
   * The batch committed but not yet settled, if any: readers wait for it so they never see a write
   * before it is durable. Its settlement runs before the next commit (which waits for setImmediate).
   */
  inFlight(): Promise<void> | undefined {
    return this.settling
  }

  /** Commits and settles everything queued, blocking (close() uses this so no accepted write is dropped). */
  async drain(): Promise<void> {
    for (let guard = 0; this.settling && guard < 1_000_000; guard++) await this.settling
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch)
      const outcomes = this.commitBatch(batch)
      if (!outcomes) continue
      try {
        this.settle(outcomes, true)
      } catch (error) {
        for (const pending of batch) pending.reject(error)
        continue
      }
      answer(batch, outcomes)
    }
  }

  private flushBatch(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (this.settling) return
    const batch = this.queue.splice(0, this.maxBatch)
    if (batch.length === 0) return
    const outcomes = this.commitBatch(batch)
    if (!outcomes) {
      this.scheduleNext()
      return
    }
    let settled: Promise<void> | void
    try {
      settled = this.settle(outcomes, false)
    } catch (error) {
      settled = Promise.reject(error)
    }
    this.settling = Promise.resolve(settled).then(
      () => answer(batch, outcomes),
      (error: unknown) => {
        for (const pending of batch) pending.reject(error)
      },
    ).finally(() => {
      this.settling = undefined
      // Ops queued during the settle go in the next turn, after the answered callers (and readers
      // waiting on inFlight) have run.
      this.scheduleNext()
    })
  }

  private commitBatch(batch: Array<Pending<Op, Out>>): Array<Out | Error> | undefined {
    try {
      return this.commit(batch.map((pending) => pending.op))
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return undefined
    }
  }

  private scheduleNext(): void {
    if (this.queue.length > 0) this.scheduled ??= setImmediate(() => this.flushBatch())
  }

  get pending(): number {
    return this.queue.length
  }
}

function answer<Op, Out>(batch: Array<Pending<Op, Out>>, outcomes: Array<Out | Error>): void {
  batch.forEach((pending, index) => {
    const outcome = outcomes[index]
    if (outcome instanceof Error) pending.reject(outcome)
    else pending.resolve(outcome as Out)
  })
}
