// The kubelet's prober manager (pkg/kubelet/prober/prober_manager.go): one worker per probe of each
// started container, results cached per container ID (so a restarted container starts afresh), and a
// callback whenever a cached result changes so the agent can recompute the pod's status or restart a
// container. Level-based: sync() makes the workers match the containers it is given.
import type {Container} from 'kubernetes-types/core/v1.js'
import type {Clock} from '../../clock.js'
import {logger} from '../../log.js'
import {probeWarningMessage, unhealthyMessage} from './probe-messages.js'
import type {ProbeOutcome} from './probe-outcome.js'
import {ProbeWorker, type ProbeState} from './probe-worker.js'
import {PROBE_KINDS, probeSpec, type ProbeKind, type ProbeSpec} from './probe-spec.js'
import {runProbe} from './prober.js'

const log = logger('probe-manager')

export interface ProbeTarget {
  podUid: string
  namespace: string
  podName: string
  podIP?: string
  container: Container
  containerId: string
  startedAt: Date
}

export interface ProbeEvents {
  /** A probe failed or could not be run: a Warning event with reason Unhealthy and this message. */
  unhealthy(target: ProbeTarget, kind: ProbeKind, message: string): void
  /** An HTTP probe ended on a redirect to another host: a Warning event with reason ProbeWarning. */
  probeWarning?(target: ProbeTarget, kind: ProbeKind, message: string): void
}

export interface ProbeManagerOptions {
  clock: Clock
  /** Runs a command in the container (the runtime's ExecSync); `signal` aborts when the probe times out or stops. */
  exec: (target: ProbeTarget, command: string[], timeoutMs: number, signal?: AbortSignal) => Promise<{exitCode: number; output: string}>
  /** A cached result changed for a container of this pod. */
  onChange: (podUid: string) => void
  events?: ProbeEvents
}

type CachedResult = ProbeState | 'unknown'

/** The probes of one container instance. */
class ContainerProbes {
  readonly results = new Map<ProbeKind, CachedResult>()
  readonly workers = new Map<ProbeKind, ProbeWorker>()

  constructor(public target: ProbeTarget) {}

  get containerId(): string {
    return this.target.containerId
  }

  stop(): void {
    for (const w of this.workers.values()) w.stop()
  }
}

export class ProbeManager {
  private readonly pods = new Map<string, Map<string, ContainerProbes>>()
  private stopped = false

  constructor(private readonly opts: ProbeManagerOptions) {}

  /** Level-based: make the running probe workers match these containers (started ones); stops workers of containers not listed. */
  sync(podUid: string, targets: ProbeTarget[]): void {
    if (this.stopped) return
    const containers = this.pods.get(podUid) ?? new Map<string, ContainerProbes>()
    const wanted = new Set<string>()
    for (const target of targets) {
      const name = target.container.name
      wanted.add(name)
      const existing = containers.get(name)
      if (existing?.containerId === target.containerId) {
        existing.target = target // the pod IP may have arrived since
        continue
      }
      existing?.stop()
      containers.delete(name)
      const entry = this.start(target)
      if (entry) containers.set(name, entry)
    }
    for (const [name, entry] of containers) {
      if (wanted.has(name)) continue
      entry.stop()
      containers.delete(name)
    }
    if (containers.size > 0) this.pods.set(podUid, containers)
    else this.pods.delete(podUid)
  }

  forgetPod(podUid: string): void {
    for (const entry of this.pods.get(podUid)?.values() ?? []) entry.stop()
    this.pods.delete(podUid)
  }

  /** Container ready per readiness (true when it has no readiness probe; false until the first success otherwise; false before startup succeeds). */
  ready(podUid: string, containerId: string): boolean {
    const entry = this.find(podUid, containerId)
    if (!entry) return true
    if (!this.isStarted(entry)) return false
    return !entry.workers.has('readiness') || entry.results.get('readiness') === 'success'
  }

  /** Startup probe passed (true when none) — the kubelet's `started` field. */
  started(podUid: string, containerId: string): boolean {
    const entry = this.find(podUid, containerId)
    return !entry || this.isStarted(entry)
  }

  /** Liveness or startup probe failed failureThreshold times: the agent must kill and restart it. */
  mustRestart(podUid: string, containerId: string): boolean {
    return this.failedProbe(podUid, containerId) !== undefined
  }

  /** Which probe condemned the container (for the Killing message), if one did; liveness is checked first, as the kubelet does. */
  failedProbe(podUid: string, containerId: string): 'liveness' | 'startup' | undefined {
    const entry = this.find(podUid, containerId)
    if (entry?.results.get('liveness') === 'failure') return 'liveness'
    if (entry?.results.get('startup') === 'failure') return 'startup'
    return undefined
  }

  stop(): void {
    this.stopped = true
    for (const podUid of [...this.pods.keys()]) this.forgetPod(podUid)
  }

  private start(target: ProbeTarget): ContainerProbes | undefined {
    const specs = PROBE_KINDS.map((kind) => probeSpec(target.container, kind)).filter((s): s is ProbeSpec => s !== undefined)
    if (specs.length === 0) return undefined
    const entry = new ContainerProbes(target)
    for (const spec of specs) {
      // Initial values as the kubelet's workers set them: not ready until proven, alive until proven otherwise.
      entry.results.set(spec.kind, spec.kind === 'readiness' ? 'failure' : spec.kind === 'liveness' ? 'success' : 'unknown')
      entry.workers.set(spec.kind, new ProbeWorker(spec, {
        clock: this.opts.clock,
        startedAt: target.startedAt,
        started: () => this.isStarted(entry),
        run: (s, signal) => this.run(entry, s, signal),
        observed: (s, outcome) => this.observed(entry, s, outcome),
        record: (s, state) => this.record(entry, s.kind, state),
      }))
    }
    for (const worker of entry.workers.values()) worker.start()
    return entry
  }

  private run(entry: ContainerProbes, spec: ProbeSpec, signal: AbortSignal): Promise<ProbeOutcome> {
    const target = entry.target
    return runProbe(spec, {
      container: target.container,
      podIP: target.podIP,
      exec: (command, timeoutMs, execSignal) => this.opts.exec(target, command, timeoutMs, AbortSignal.any([signal, execSignal])),
    })
  }

  private observed(entry: ContainerProbes, spec: ProbeSpec, outcome: ProbeOutcome): void {
    const message = unhealthyMessage(spec.kind, outcome)
    const events = this.opts.events
    if (message !== undefined) guarded('unhealthy event', () => events?.unhealthy(entry.target, spec.kind, message))
    else if (outcome.warning !== undefined) guarded('probe warning event', () => events?.probeWarning?.(entry.target, spec.kind, probeWarningMessage(spec.kind, outcome.warning ?? '')))
  }

  private record(entry: ContainerProbes, kind: ProbeKind, state: ProbeState): void {
    if (entry.results.get(kind) === state) return
    entry.results.set(kind, state)
    guarded('onChange', () => this.opts.onChange(entry.target.podUid))
  }

  private isStarted(entry: ContainerProbes): boolean {
    return !entry.workers.has('startup') || entry.results.get('startup') === 'success'
  }

  private find(podUid: string, containerId: string): ContainerProbes | undefined {
    for (const entry of this.pods.get(podUid)?.values() ?? []) if (entry.containerId === containerId) return entry
    return undefined
  }
}

/** A throwing callback must not end a worker's loop: probing would stop silently for that container. */
function guarded(what: string, fn: () => void): void {
  try {
    fn()
  } catch (error) {
    log.warn({err: error, callback: what}, 'probe callback threw')
  }
}
