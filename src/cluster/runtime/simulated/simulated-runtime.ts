// A ContainerRuntime with no containers: each "container" is a record that becomes running after a
// configurable start delay (on the injected clock). Its table is persisted in the state dir, the way
// Docker keeps containers across a control-plane restart, so pods survive stop/start unchanged: an
// append-only journal of changes (one JSON line each), rewritten as a compact snapshot on flush().
// Processes run forever, except the one shape a test needs to crash a container: a shell script
// `sh -c 'exit N'` or `sh -c 'sleep S; exit N'` exits with N (after S seconds on the clock).
import {randomBytes} from 'node:crypto'
import {appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import type {Clock} from '../../clock.js'
import {SIMULATED_ADDRESSING, type ClusterAddressing} from '../../network/cluster-addressing.js'
import type {ContainerFilter, ContainerRuntime, ContainerSpec, ImageResult, LogQuery, RuntimeContainer} from '../runtime.js'

export interface SimulatedRuntimeOptions {
  clock: Clock
  /** Time from start() to running. */
  startDelayMs?: number
  /** Time a container takes to exit after SIGTERM; past the grace period it is killed instead. */
  stopDelayMs?: number
  /** Where the container table is kept across restarts; in memory only when absent. */
  statePath?: string
  /** Coalesce journal appends within this window (the table is also flushed on stop). */
  saveDelayMs?: number
}

type PersistedState = {state: 'created'} | {state: 'running'; startedAt: string} | {state: 'exited'; startedAt?: string; finishedAt: string; exitCode: number; reason: string}

interface PersistedContainer {
  id: string
  spec: ContainerSpec
  state: PersistedState
  podIP: string
}

export class SimulatedRuntime implements ContainerRuntime {
  readonly name = 'sim'
  private readonly containers = new Map<string, PersistedContainer>()
  // Indexes so that a pod's reconcile costs O(its containers), not O(all containers).
  private readonly byPod = new Map<string, Set<string>>()
  private readonly byPodName = new Map<string, Set<string>>()
  private readonly podIPs = new Map<string, string>()
  private readonly usedIPs = new Set<string>()
  private nextIP = 2
  private saveTimer?: NodeJS.Timeout
  private readonly journal: string[] = []
  private readonly startDelayMs: number
  private readonly listeners = new Set<(container: RuntimeContainer) => void>()

  constructor(private readonly opts: SimulatedRuntimeOptions) {
    this.startDelayMs = opts.startDelayMs ?? 50
    if (opts.statePath) this.load(opts.statePath)
  }

  async available() {
    return {ok: true} as const
  }

  /**
   * A simulated node has every image and no registry to ask, so nothing is ever pulled, whatever the
   * policy (the kubelet then records `Container image "x" already present on machine`). Like kwok.
   */
  async ensureImage(image: string): Promise<ImageResult> {
    if (!image) throw new Error('image name is empty')
    return {pulled: false}
  }

  async start(spec: ContainerSpec): Promise<RuntimeContainer> {
    const id = randomBytes(32).toString('hex')
    const record: PersistedContainer = {id, spec, state: {state: 'created'}, podIP: this.podIPFor(spec.podUid)}
    this.insert(record)
    this.record({put: record})
    if (this.startDelayMs > 0) await this.opts.clock.sleep(this.startDelayMs)
    if (!this.containers.has(id)) throw new Error(`container ${id} was removed while starting`)
    record.state = {state: 'running', startedAt: this.opts.clock.now().toISOString()}
    this.record({put: record})
    const exit = simulatedExit(spec)
    if (exit) void this.exitLater(record, exit.afterMs, exit.exitCode)
    return toRuntime(record)
  }

  subscribe(listener: (container: RuntimeContainer) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private async exitLater(record: PersistedContainer, afterMs: number, exitCode: number): Promise<void> {
    if (afterMs > 0) await this.opts.clock.sleep(afterMs)
    if (this.containers.get(record.id) !== record || record.state.state !== 'running') return
    record.state = {state: 'exited', startedAt: record.state.startedAt, finishedAt: this.opts.clock.now().toISOString(), exitCode, reason: exitCode === 0 ? 'Completed' : 'Error'}
    this.record({put: record})
    for (const listener of this.listeners) listener(toRuntime(record))
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    const record = this.containers.get(id)
    if (!record || record.state.state === 'exited') return
    // A simulated process takes stopDelayMs to exit on SIGTERM (code 143); if that outlasts the grace
    // period it is SIGKILLed when the grace period ends (code 137), as the kubelet does.
    const stopDelay = this.opts.stopDelayMs ?? 0
    const killed = stopDelay > graceSeconds * 1000
    const wait = Math.min(stopDelay, graceSeconds * 1000)
    if (wait > 0) await this.opts.clock.sleep(wait)
    // Another stop may have finished while this one waited.
    if ((record.state as PersistedState).state === 'exited') return
    const startedAt = record.state.state === 'running' ? record.state.startedAt : undefined
    record.state = {state: 'exited', startedAt, finishedAt: this.opts.clock.now().toISOString(), exitCode: killed ? 137 : 143, reason: 'Error'}
    this.record({put: record})
  }

  async remove(id: string): Promise<void> {
    if (this.forget(id)) this.record({del: id})
  }

  async list(filter: ContainerFilter = {}): Promise<RuntimeContainer[]> {
    const ids =
      filter.podUid !== undefined
        ? this.byPod.get(filter.podUid)
        : filter.namespace !== undefined && filter.podName !== undefined
          ? this.byPodName.get(`${filter.namespace}/${filter.podName}`)
          : undefined
    const candidates = ids || filter.podUid !== undefined || filter.podName !== undefined ? [...(ids ?? [])].map((id) => this.containers.get(id)!) : [...this.containers.values()]
    return candidates
      .filter((c) => (filter.namespace === undefined || c.spec.namespace === filter.namespace) && (filter.podName === undefined || c.spec.podName === filter.podName))
      .map(toRuntime)
  }

  /** One line, written when the container started: that is its time for --timestamps and --since. */
  async logs(id: string, query: LogQuery = {}): Promise<string> {
    const record = this.containers.get(id)
    if (!record) throw new Error(`container ${id} not found`)
    const startedAt = 'startedAt' in record.state && record.state.startedAt ? new Date(record.state.startedAt) : this.opts.clock.now()
    if (query.since && startedAt < query.since) return ''
    const line = `simulated container ${record.spec.containerName} (${record.spec.image}) of pod ${record.spec.namespace}/${record.spec.podName}\n`
    return query.timestamps ? `${rfc3339Nano(startedAt)} ${line}` : line
  }

  /** Write the whole table as a compact snapshot (the control plane calls this when it stops). */
  flush(): void {
    clearTimeout(this.saveTimer)
    this.saveTimer = undefined
    this.journal.length = 0
    const path = this.opts.statePath
    if (!path) return
    mkdirSync(dirname(path), {recursive: true})
    const tmp = `${path}.tmp`
    writeFileSync(tmp, [...this.containers.values()].map((record) => `${JSON.stringify({put: record})}\n`).join(''))
    renameSync(tmp, path)
  }

  private forget(id: string): boolean {
    const record = this.containers.get(id)
    if (!record) return false
    this.containers.delete(id)
    const named = this.byPodName.get(podNameKey(record.spec))
    named?.delete(id)
    if (named?.size === 0) this.byPodName.delete(podNameKey(record.spec))
    const siblings = this.byPod.get(record.spec.podUid)
    siblings?.delete(id)
    if (siblings?.size === 0) {
      this.byPod.delete(record.spec.podUid)
      this.usedIPs.delete(this.podIPs.get(record.spec.podUid) ?? '')
      this.podIPs.delete(record.spec.podUid)
    }
    return true
  }

  private insert(record: PersistedContainer): void {
    this.containers.set(record.id, record)
    const siblings = this.byPod.get(record.spec.podUid) ?? new Set<string>()
    siblings.add(record.id)
    this.byPod.set(record.spec.podUid, siblings)
    const named = this.byPodName.get(podNameKey(record.spec)) ?? new Set<string>()
    named.add(record.id)
    this.byPodName.set(podNameKey(record.spec), named)
    this.podIPs.set(record.spec.podUid, record.podIP)
    this.usedIPs.add(record.podIP)
  }

  /** A pod keeps one IP for all its containers, as with a shared sandbox. IPs come from 10.244.0.0/16. */
  /** podIPFor hands out 10.244.0.1 upwards, within one /16; ClusterIPs are Kubernetes' usual 10.96.0.0/16. */
  async addressing(): Promise<ClusterAddressing> {
    return SIMULATED_ADDRESSING
  }

  private podIPFor(podUid: string): string {
    const existing = this.podIPs.get(podUid)
    if (existing) return existing
    for (let tries = 0; tries < 65_000; tries++) {
      const n = this.nextIP
      this.nextIP = n >= 65_000 ? 2 : n + 1
      const ip = `10.244.${Math.floor(n / 254)}.${(n % 254) + 1}`
      if (!this.usedIPs.has(ip)) return ip
    }
    throw new Error('pod IP range exhausted')
  }

  // The table is a simulation's stand-in for Docker's own state; losing the last moments of it in a
  // crash only means those simulated containers start again, so appends are coalesced.
  private record(change: {put: PersistedContainer} | {del: string}): void {
    if (!this.opts.statePath) return
    this.journal.push(`${JSON.stringify(change)}\n`)
    this.saveTimer ??= setTimeout(() => this.appendJournal(), this.opts.saveDelayMs ?? 200)
    this.saveTimer.unref()
  }

  private appendJournal(): void {
    this.saveTimer = undefined
    if (this.journal.length === 0 || !this.opts.statePath) return
    mkdirSync(dirname(this.opts.statePath), {recursive: true})
    appendFileSync(this.opts.statePath, this.journal.join(''))
    this.journal.length = 0
  }

  private load(path: string): void {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      return
    }
    for (const line of text.split('\n')) {
      if (!line) continue
      let change: {put?: PersistedContainer; del?: string}
      try {
        change = JSON.parse(line)
      } catch {
        continue // a line cut short by a crash
      }
      if (change.put) {
        this.containers.delete(change.put.id)
        this.insert(change.put)
      } else if (change.del) {
        this.forget(change.del)
      }
    }
  }
}

const EXIT_SCRIPT = /^(?:sleep (\d+(?:\.\d+)?)\s*(?:;|&&)\s*)?exit (\d+)$/

/** The simulated exit of `sh -c 'exit N'` / `sh -c 'sleep S; exit N'`; other commands never exit. */
export function simulatedExit(spec: Pick<ContainerSpec, 'command' | 'args'>): {afterMs: number; exitCode: number} | undefined {
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])]
  if (argv.length !== 3 || !['sh', '/bin/sh'].includes(argv[0]!) || argv[1] !== '-c') return undefined
  const match = EXIT_SCRIPT.exec(argv[2]!.trim())
  if (!match) return undefined
  return {afterMs: Math.round(Number(match[1] ?? 0) * 1000), exitCode: Number(match[2]) % 256}
}

function podNameKey(spec: ContainerSpec): string {
  return `${spec.namespace}/${spec.podName}`
}

function toRuntime(record: PersistedContainer): RuntimeContainer {
  const s = record.state
  const state =
    s.state === 'running'
      ? {state: 'running' as const, startedAt: new Date(s.startedAt)}
      : s.state === 'exited'
        ? {state: 'exited' as const, startedAt: s.startedAt ? new Date(s.startedAt) : undefined, finishedAt: new Date(s.finishedAt), exitCode: s.exitCode, reason: s.reason}
        : {state: 'created' as const}
  return {id: record.id, spec: record.spec, state, podIP: record.podIP}
}

/** RFC 3339 with nanoseconds, as the kubelet stamps log lines. */
function rfc3339Nano(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')
}
