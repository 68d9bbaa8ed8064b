// Pods that did not fit wait here (kube-scheduler's unschedulablePods + backoffQ). A cluster change
// (a node added or changed, a pod removed...) moves them back to the work queue, each no earlier than
// its back-off allows: 1 s after the first failure, doubling to 10 s, so a stream of events never
// turns into a retry storm. A scheduled or deleted pod is forgotten.
import type {Clock} from '../clock.js'

export interface BackoffOptions {
  initialMs?: number
  maxMs?: number
}

interface Parked {
  failedAt: number
}

export class UnschedulablePods {
  private readonly attempts = new Map<string, number>()
  private readonly parked = new Map<string, Parked>()
  /** Moved by a cluster change but still backing off: key → when it may run. */
  private readonly waiting = new Map<string, number>()
  private timer: {at: number; abort: AbortController} | undefined
  private stopped = false

  constructor(
    private readonly clock: Clock,
    private readonly enqueue: (key: string) => void,
    private readonly opts: BackoffOptions = {},
  ) {}

  /** Back-off after n failed attempts. */
  backoffMs(attempts: number): number {
    const initial = this.opts.initialMs ?? 1000
    return Math.min(this.opts.maxMs ?? 10_000, initial * 2 ** Math.max(0, Math.min(attempts - 1, 20)))
  }

  /** Record a failed attempt; the pod waits for a cluster change. */
  park(key: string): void {
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1)
    this.waiting.delete(key)
    this.parked.set(key, {failedAt: this.clock.now().getTime()})
  }

  has(key: string): boolean {
    return this.parked.has(key) || this.waiting.has(key)
  }

  get size(): number {
    return this.parked.size + this.waiting.size
  }

  forget(key: string): void {
    this.attempts.delete(key)
    this.parked.delete(key)
    this.waiting.delete(key)
  }

  /** The cluster changed: every parked pod gets another attempt once its back-off has passed. */
  moveAll(): void {
    if (this.parked.size === 0) return
    const now = this.clock.now().getTime()
    for (const [key, {failedAt}] of this.parked) {
      const readyAt = failedAt + this.backoffMs(this.attempts.get(key) ?? 1)
      if (readyAt <= now) this.enqueue(key)
      else this.waiting.set(key, readyAt)
    }
    this.parked.clear()
    this.arm()
  }

  stop(): void {
    this.stopped = true
    this.timer?.abort.abort(new Error('scheduler stopping'))
    this.timer = undefined
  }

  private arm(): void {
    if (this.stopped || this.waiting.size === 0) return
    const at = Math.min(...this.waiting.values())
    if (this.timer && this.timer.at <= at) return
    this.timer?.abort.abort(new Error('re-armed'))
    const abort = new AbortController()
    this.timer = {at, abort}
    this.clock.sleep(Math.max(0, at - this.clock.now().getTime()), abort.signal).then(
      () => {
        if (this.timer?.abort === abort) this.timer = undefined
        this.release()
      },
      () => undefined,
    )
  }

  private release(): void {
    const now = this.clock.now().getTime()
    for (const [key, readyAt] of this.waiting) {
      if (readyAt > now) continue
      this.waiting.delete(key)
      this.enqueue(key)
    }
    this.arm()
  }
}
