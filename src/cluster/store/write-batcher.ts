// Collects the writes made in one event-loop turn and commits them together on setImmediate, so
// many concurrent callers share one transaction (and one fsync) instead of paying one each.

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

export class WriteBatcher<Op, Out> {
  private queue: Array<Pending<Op, Out>> = []
  private scheduled: NodeJS.Immediate | undefined

  /**
   * `maxBatch` bounds one transaction: it caps how long a commit blocks the event loop and how many
   * events one commit hands each watcher before consumers get to run.
   */
  constructor(
    private readonly commit: CommitFn<Op, Out>,
    private readonly maxBatch = 1000,
  ) {}

  /** Queues `op` for the next flush; resolves only after the batch holding it has committed. */
  submit(op: Op): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({op, resolve, reject})
      this.scheduled ??= setImmediate(() => this.flushBatch())
    })
  }

  /** Commits everything queued now (close() uses this so no accepted write is dropped). */
  flush(): void {
    while (this.queue.length > 0) this.flushBatch()
  }

  private flushBatch(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    const batch = this.queue.splice(0, this.maxBatch)
    if (batch.length === 0) return
    // Ops beyond the cap go in the next turn, after watchers and callers have run.
    if (this.queue.length > 0) this.scheduled = setImmediate(() => this.flushBatch())
    let outcomes: Array<Out | Error>
    try {
      outcomes = this.commit(batch.map((pending) => pending.op))
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]
      if (outcome instanceof Error) pending.reject(outcome)
      else pending.resolve(outcome as Out)
    })
  }

  get pending(): number {
    return this.queue.length
  }
}
