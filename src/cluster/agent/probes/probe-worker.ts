// The periodic probing of one probe of one container instance (pkg/kubelet/prober/worker.go): probe
// at once, then every periodSeconds on the injected clock; skip while initialDelaySeconds have not
// passed since the container started; liveness and readiness wait for the startup probe; a result is
// only recorded once successThreshold / failureThreshold runs in a row agree. A failed liveness or
// startup probe puts the worker on hold: the container is to be restarted, and the new instance gets
// new workers.
import type {Clock} from '../../clock.js'
import {logger} from '../../log.js'
import type {ProbeOutcome} from './probe-outcome.js'
import type {ProbeSpec} from './probe-spec.js'

const log = logger('probe-worker')

export type ProbeState = 'success' | 'failure'

export interface ProbeWorkerHost {
  clock: Clock
  /** When the container instance started (initialDelaySeconds counts from here). */
  startedAt: Date
  /** Whether the startup probe has passed (true when there is none). */
  started(): boolean
  run(spec: ProbeSpec, signal: AbortSignal): Promise<ProbeOutcome>
  /** Every completed run, for events. */
  observed(spec: ProbeSpec, outcome: ProbeOutcome): void
  /** A threshold was reached: the probe's result is now `state`. */
  record(spec: ProbeSpec, state: ProbeState): void
}

export class ProbeWorker {
  private readonly controller = new AbortController()
  private lastResult?: ProbeState
  private resultRun = 0
  private loop?: Promise<void>

  constructor(readonly spec: ProbeSpec, private readonly host: ProbeWorkerHost) {}

  start(): void {
    this.loop ??= this.run()
  }

  stop(): void {
    this.controller.abort(new Error('probe worker stopped'))
  }

  /** Resolves once the loop has ended (after stop(), or on hold). */
  get finished(): Promise<void> {
    return this.loop ?? Promise.resolve()
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal
    try {
      while (!signal.aborted && (await this.probeOnce(signal))) {
        await this.host.clock.sleep(this.spec.periodSeconds * 1000, signal)
      }
    } catch (error) {
      if (!signal.aborted) log.warn({err: error, kind: this.spec.kind}, 'probe worker ended')
    }
  }

  /** One tick of the loop; false when this worker has nothing more to do for its container instance. */
  private async probeOnce(signal: AbortSignal): Promise<boolean> {
    const {spec, host} = this
    const sinceStart = Math.trunc((host.clock.now().getTime() - host.startedAt.getTime()) / 1000)
    if (sinceStart < spec.initialDelaySeconds) return true
    const started = host.started()
    // A passed startup probe is never run again for this instance; the others wait for it.
    if (spec.kind === 'startup' && started) return false
    if (spec.kind !== 'startup' && !started) return true

    const outcome = await host.run(spec, signal)
    if (signal.aborted) return false
    host.observed(spec, outcome)
    // The kubelet throws away a result it could not obtain.
    if (outcome.result === 'error') return true

    const result: ProbeState = outcome.result
    if (this.lastResult === result) this.resultRun++
    else {
      this.lastResult = result
      this.resultRun = 1
    }
    const threshold = result === 'failure' ? spec.failureThreshold : spec.successThreshold
    if (this.resultRun < threshold) return true
    host.record(spec, result)
    if (result === 'failure' && spec.kind !== 'readiness') return false
    return !(result === 'success' && spec.kind === 'startup')
  }
}
