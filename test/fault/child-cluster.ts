// A control plane in a child process (control-plane-entry.ts) on a fixed state dir, so the fault
// tests can `kill -9` it and start it again on the same store, plus an HTTPS client with the admin
// certificate. Connection failures reject (the caller decides whether a write was acknowledged).
import {spawn, type ChildProcess} from 'node:child_process'
import {readFileSync} from 'node:fs'
import https from 'node:https'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

export const READY_MARKER = 'KCLUSTER_FAULT_READY '
export const MEMORY_MARKER = 'KCLUSTER_FAULT_MEMORY '
const ENTRY = join(import.meta.dirname, 'control-plane-entry.ts')
const START_TIMEOUT_MS = 30_000

export interface Reply {
  status: number
  /** The parsed body (undefined when not JSON). */
  json: any
  text: string
}

export interface Tls {
  ca: Buffer
  cert: Buffer
  key: Buffer
}

export interface ChildCluster {
  pid: number
  port: number
  stateDir: string
  tls: Tls
  /** One HTTPS request; rejects on a connection error, a reset or a timeout. */
  request(method: string, path: string, body?: unknown, opts?: {contentType?: string; timeoutMs?: number}): Promise<Reply>
  /** VmRSS of the child, from /proc (KiB). */
  rssKiB(): number
  /** The child's process.memoryUsage() (bytes), asked for with SIGUSR2. */
  memoryUsage(): Promise<NodeJS.MemoryUsage>
  /** SIGKILL and wait for the exit. */
  kill9(): Promise<void>
  /** SIGTERM (a clean stop) and wait for the exit. */
  stop(): Promise<void>
}

export interface ChildClusterOptions {
  stateDir: string
  /** FAULT_* settings control-plane-entry.ts reads. */
  env?: Record<string, string>
}

export async function startChildCluster(opts: ChildClusterOptions): Promise<ChildCluster> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, KCLUSTER_LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'silent', FAULT_STATE_DIR: opts.stateDir, ...opts.env},
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8192)
  }
  child.stderr!.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const memoryReports: Array<(usage: NodeJS.MemoryUsage) => void> = []
  const port = await readyPort(child, () => output, keep, (line) => memoryReports.shift()?.(JSON.parse(line) as NodeJS.MemoryUsage))
  const pki = (file: string) => readFileSync(join(opts.stateDir, 'pki', file))
  const tls: Tls = {ca: pki('ca.crt'), cert: pki('admin.crt'), key: pki('admin.key')}
  const agent = new https.Agent({keepAlive: true, maxSockets: 64, ...tls})
  const pid = child.pid!
  const finish = async (signal: NodeJS.Signals) => {
    agent.destroy()
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  return {
    pid,
    port,
    stateDir: opts.stateDir,
    tls,
    request: (method, path, body, ro = {}) => httpsRequest({port, agent, method, path, body, contentType: ro.contentType, timeoutMs: ro.timeoutMs}),
    rssKiB: () => vmRssKiB(pid),
    memoryUsage: () =>
      new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no memory report within 5 s')), 5_000)
        memoryReports.push((usage) => {
          clearTimeout(timer)
          resolve(usage)
        })
        child.kill('SIGUSR2')
      }),
    kill9: () => finish('SIGKILL'),
    stop: () => finish('SIGTERM'),
  }
}

function readyPort(child: ChildProcess, output: () => string, keep: (chunk: Buffer) => void, onMemory: (json: string) => void): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`control plane not ready within ${START_TIMEOUT_MS} ms:\n${output()}`))
    }, START_TIMEOUT_MS)
    const lines = createInterface({input: child.stdout!})
    lines.on('line', (line) => {
      if (line.startsWith(MEMORY_MARKER)) return onMemory(line.slice(MEMORY_MARKER.length))
      if (!line.startsWith(READY_MARKER)) return keep(Buffer.from(line + '\n'))
      clearTimeout(timer)
      resolve((JSON.parse(line.slice(READY_MARKER.length)) as {port: number}).port)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`control plane exited (${code ?? signal}) before serving:\n${output()}`))
    })
  })
}

interface RequestSpec {
  port: number
  agent: https.Agent
  method: string
  path: string
  body?: unknown
  contentType?: string
  timeoutMs?: number
}

export function httpsRequest(spec: RequestSpec): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const payload = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body)
    const headers: Record<string, string | number> = {Accept: 'application/json'}
    if (payload !== undefined) {
      headers['Content-Type'] = spec.contentType ?? 'application/json'
      headers['Content-Length'] = Buffer.byteLength(payload)
    }
    const req = https.request({host: '127.0.0.1', port: spec.port, method: spec.method, path: spec.path, agent: spec.agent, headers}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      // A reply cut off mid-body is a failed request, not an answer.
      res.on('aborted', () => reject(new Error(`${spec.method} ${spec.path}: response aborted`)))
      res.on('end', () => {
        if (!res.complete) return reject(new Error(`${spec.method} ${spec.path}: response incomplete`))
        const text = Buffer.concat(chunks).toString()
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({status: res.statusCode!, json, text})
      })
    })
    req.setTimeout(spec.timeoutMs ?? 15_000, () => req.destroy(new Error(`${spec.method} ${spec.path}: timed out`)))
    req.on('error', reject)
    req.end(payload)
  })
}

export function vmRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`)
  return Number(match[1])
}
