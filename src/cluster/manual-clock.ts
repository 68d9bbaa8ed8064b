// A Clock that moves only when told to, for tests of time-driven behaviour (start delays, grace
// periods, heartbeats) without real waiting.
import type {Clock} from './clock.js'

interface Sleeper {
  wakeAt: number
  resolve: () => void
}

export class ManualClock implements Clock {
  private current: number
  private sleepers: Sleeper[] = []

  constructor(start = new Date('2026-01-01T00:00:00Z')) {
    this.current = start.getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {wakeAt: this.current + ms, resolve}
      this.sleepers.push(sleeper)
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper)
        reject(signal.reason)
      }, {once: true})
    })
  }

  /** Move time forward, waking every sleeper whose time has come (in order), letting each run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms
    for (;;) {
      const due = this.sleepers.filter((s) => s.wakeAt <= target).sort((a, b) => a.wakeAt - b.wakeAt)[0]
      if (!due) break
      this.current = Math.max(this.current, due.wakeAt)
      this.sleepers = this.sleepers.filter((s) => s !== due)
      due.resolve()
      // Let the woken code run up to its next await before waking the next sleeper.
      await new Promise((r) => setImmediate(r))
    }
    this.current = target
  }

  /** How many sleeps are pending (for tests that wait for code to reach its sleep). */
  get pendingSleeps(): number {
    return this.sleepers.length
  }
}
