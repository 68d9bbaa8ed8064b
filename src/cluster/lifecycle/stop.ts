// Stopping a control plane: SIGTERM (it stops its components and flushes the store), wait, and only
// then SIGKILL. All state stays on disk; a later `start` resumes from it.
import {setTimeout as sleep} from 'node:timers/promises'
import {findCluster} from './open-cluster.js'
import {processAlive, removePid, runningPid} from './pid-file.js'

export interface StopOutcome {
  /** The pid that was stopped, when a control plane was running. */
  pid?: number
  wasRunning: boolean
  /** True when the process ignored SIGTERM for the whole grace period and was killed. */
  killed: boolean
  /** A pid file that named a dead or foreign process and was removed. */
  stalePid?: number
}

export interface StopOptions {
  graceMs?: number
  pollMs?: number
}

export async function stopControlPlane(pidFile: string, name: string, options: StopOptions = {}): Promise<StopOutcome> {
  const graceMs = options.graceMs ?? 15_000
  const pollMs = options.pollMs ?? 100
  const {pid, stale} = await runningPid(pidFile, name)
  if (pid === undefined) {
    if (stale !== undefined) await removePid(pidFile)
    return {wasRunning: false, killed: false, stalePid: stale}
  }

  signal(pid, 'SIGTERM')
  if (!(await exited(pid, graceMs, pollMs))) {
    signal(pid, 'SIGKILL')
    await exited(pid, 5000, pollMs)
    await removePid(pidFile)
    return {pid, wasRunning: true, killed: true}
  }
  // The control plane removes its own pid file on a clean exit; this covers one that died mid-stop.
  await removePid(pidFile)
  return {pid, wasRunning: true, killed: false}
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

async function exited(pid: number, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true
    await sleep(pollMs)
  }
  return !processAlive(pid)
}

export interface StopResult {
  name: string
  /** False when the cluster was already stopped. */
  stopped: boolean
  pid?: number
  killed: boolean
  stalePid?: number
}

/** `kcluster stop`: stops the control plane and keeps all state. Stopping a stopped cluster succeeds. */
export async function stopCluster(name: string, home?: string, options?: StopOptions): Promise<StopResult> {
  const handle = await findCluster(name, home)
  const outcome = await stopControlPlane(handle.paths.pid, name, options)
  // The control plane stops its pods' containers itself; if it had to be killed (or had crashed),
  // whatever still runs is stopped from here, without more grace: they had theirs.
  if (handle.config.driver === 'docker' && (outcome.killed || !outcome.wasRunning)) {
    const {stopAllContainers} = await import('../runtime/docker/index.js')
    await stopAllContainers(name, {graceSeconds: 0}).catch(() => undefined)
  }
  return {name, stopped: outcome.wasRunning, pid: outcome.pid, killed: outcome.killed, stalePid: outcome.stalePid}
}
