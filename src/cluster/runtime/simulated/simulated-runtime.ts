// A ContainerRuntime with no containers: each "container" is a record that becomes running after a
// configurable start delay (on the injected clock). Its table is persisted in the state dir, the way
// Docker keeps containers across a control-plane restart, so pods survive stop/start unchanged.
import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import type {Clock} from '../../clock.js'
import type {ContainerFilter, ContainerRuntime, ContainerSpec, RuntimeContainer} from '../runtime.js'

export interface SimulatedRuntimeOptions {
  clock: Clock
  /** Time from start() to running. */
  startDelayMs?: number
  /** Where the container table is kept across restarts; in memory only when absent. */
  statePath?: string
  /** Pod IPs are handed out from 10.244.<n>.x. */
  podSubnetIndex?: number
}

interface PersistedContainer {
  id: string
  spec: ContainerSpec
  state: {state: 'created'} | {state: 'running'; startedAt: string} | {state: 'exited'; startedAt?: string; finishedAt: string; exitCode: number; reason: string}
  podIP: string
}

export class SimulatedRuntime implements ContainerRuntime {
  readonly name = 'sim'
  private readonly containers = new Map<string, PersistedContainer>()
  private readonly startDelayMs: number

  constructor(private readonly opts: SimulatedRuntimeOptions) {
    this.startDelayMs = opts.startDelayMs ?? 50
    if (opts.statePath) this.load(opts.statePath)
  }

  async available() {
    return {ok: true} as const
  }

  async ensureImage(image: string): Promise<void> {
    if (!image) throw new Error('image name is empty')
  }

  async start(spec: ContainerSpec): Promise<RuntimeContainer> {
    const id = randomBytes(32).toString('hex')
    const record: PersistedContainer = {id, spec, state: {state: 'created'}, podIP: this.podIPFor(spec.podUid)}
    this.containers.set(id, record)
    if (this.startDelayMs > 0) await this.opts.clock.sleep(this.startDelayMs)
    if (!this.containers.has(id)) throw new Error(`container ${id} was removed while starting`)
    record.state = {state: 'running', startedAt: this.opts.clock.now().toISOString()}
    this.save()
    return toRuntime(record)
  }

  async stop(id: string): Promise<void> {
    const record = this.containers.get(id)
    if (!record || record.state.state === 'exited') return
    const startedAt = record.state.state === 'running' ? record.state.startedAt : undefined
    // Simulated processes exit on SIGTERM at once, with the code a shell gives a TERM-killed process.
    record.state = {state: 'exited', startedAt, finishedAt: this.opts.clock.now().toISOString(), exitCode: 143, reason: 'Error'}
    this.save()
  }

  async remove(id: string): Promise<void> {
    if (this.containers.delete(id)) this.save()
  }

  async list(filter: ContainerFilter = {}): Promise<RuntimeContainer[]> {
    return [...this.containers.values()].filter((c) => !filter.podUid || c.spec.podUid === filter.podUid).map(toRuntime)
  }

  async logs(id: string): Promise<string> {
    const record = this.containers.get(id)
    if (!record) throw new Error(`container ${id} not found`)
    return `simulated container ${record.spec.containerName} (${record.spec.image}) of pod ${record.spec.namespace}/${record.spec.podName}\n`
  }

  /** A pod keeps one IP for all its containers, as with a shared sandbox. */
  private podIPFor(podUid: string): string {
    for (const c of this.containers.values()) if (c.spec.podUid === podUid) return c.podIP
    const used = new Set([...this.containers.values()].map((c) => c.podIP))
    const subnet = this.opts.podSubnetIndex ?? 0
    for (let i = 2; i < 65_000; i++) {
      const ip = `10.244.${subnet + Math.floor(i / 254)}.${(i % 254) + 1}`
      if (!used.has(ip)) return ip
    }
    throw new Error('pod IP range exhausted')
  }

  private load(path: string): void {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      return
    }
    for (const record of JSON.parse(text) as PersistedContainer[]) this.containers.set(record.id, record)
  }

  private save(): void {
    const path = this.opts.statePath
    if (!path) return
    mkdirSync(dirname(path), {recursive: true})
    const tmp = `${path}.tmp`
    writeFileSync(tmp, JSON.stringify([...this.containers.values()]))
    renameSync(tmp, path)
  }
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
