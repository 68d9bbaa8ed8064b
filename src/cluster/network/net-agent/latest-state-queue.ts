// Applies desired states one at a time in arrival order, keeping only the newest one waiting: every
// state is the whole truth, so a state that arrives while another is being applied replaces any state
// still waiting behind it. This holds across connections (a control plane that reconnected after a
// restart and a stale connection both feed the same queue; the latest to arrive wins). Every submitted
// state is still answered: one that was replaced gets the outcome of the state applied in its place,
// under its own generation, since that outcome is what the network looks like after it.
import type {NetReport} from '../net-protocol.js'

export type Failures = NetReport['failures']

interface Waiter {
  generation: number
  answer(report: NetReport): void
}

export class LatestStateQueue {
  private waiting: {state: unknown; waiters: Waiter[]} | undefined
  private running = false
  private idle: Promise<void> = Promise.resolve()
  private settle: (() => void) | undefined

  /** `apply` must not throw (NetAgent.apply does not); if it does, the waiters hear the error as a failure. */
  constructor(private readonly apply: (state: unknown) => Promise<Failures>) {}

  /** Queues `state`, replacing one still waiting; `answer` is called once, after it (or its replacement) was applied. */
  submit(state: unknown, generation: number, answer: (report: NetReport) => void): void {
    const waiter = {generation, answer}
    if (this.waiting) {
      this.waiting.state = state
      this.waiting.waiters.push(waiter)
    } else {
      this.waiting = {state, waiters: [waiter]}
    }
    if (!this.running) void this.drain()
  }

  /** Resolves when nothing is being applied or waiting. */
  whenIdle(): Promise<void> {
    return this.idle
  }

  private async drain(): Promise<void> {
    this.running = true
    this.idle = new Promise((resolve) => (this.settle = resolve))
    // Each turn takes the waiting state away, so the loop ends once no state arrived during the last apply.
    while (this.waiting) {
      const {state, waiters} = this.waiting
      this.waiting = undefined
      let failures: Failures
      try {
        failures = await this.apply(state)
      } catch (error) {
        failures = [{key: 'state', message: error instanceof Error ? error.message : String(error)}]
      }
      for (const w of waiters) {
        try {
          w.answer({generation: w.generation, failures})
        } catch {
          // A connection that went away cannot be answered; the others still are.
        }
      }
    }
    this.running = false
    this.settle?.()
  }
}
