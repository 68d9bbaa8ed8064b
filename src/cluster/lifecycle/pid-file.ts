// The control plane's pid file. A pid alone is not proof: after a reboot or a crash the number can
// belong to an unrelated process, so a live pid only counts when its command line is ours.
import {readFileSync} from 'node:fs'
import {readFile, rm} from 'node:fs/promises'
import {writeFileAtomic} from './atomic-write.js'
import {DEFAULT_CLUSTER_NAME} from './state-dir.js'

export async function readPid(file: string): Promise<number | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const pid = Number.parseInt(text.trim(), 10)
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
}

export async function writePid(file: string, pid = process.pid): Promise<void> {
  await writeFileAtomic(file, `${pid}\n`, 0o644)
}

/** Removes the pid file only if it still names `pid`, so a newer control plane's file is left alone. */
export async function removePidIfOwned(file: string, pid = process.pid): Promise<void> {
  if ((await readPid(file)) === pid) await rm(file, {force: true})
}

export async function removePid(file: string): Promise<void> {
  await rm(file, {force: true})
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(pid)
}

// A process that exited but was not reaped yet still answers kill(pid, 0); it is gone all the same.
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z'
  } catch {
    return false
  }
}

/**
 * Whether `pid` is a live kcluster control plane: the detached `control-plane-main.js --name N`
 * process (or the hidden `kcluster control-plane` command), or `kcluster start --foreground`. Where /proc is missing (macOS) the liveness check alone decides.
 */
export async function isControlPlaneProcess(pid: number, name: string): Promise<boolean> {
  if (!processAlive(pid)) return false
  let cmdline: string
  try {
    cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && process.platform !== 'linux') return true
    return false
  }
  const args = cmdline.split('\0').filter(Boolean)
  const ours =
    args.includes('control-plane') ||
    args.some((a) => /control-plane-main\.[jt]s$/.test(a)) ||
    (args.includes('start') && args.includes('--foreground'))
  if (!ours) return false
  // A cluster name on the command line must be this cluster's; no name means the default.
  const nameIndex = args.indexOf('--name')
  const inline = args.find((a) => a.startsWith('--name='))
  const given = inline ? inline.slice('--name='.length) : nameIndex >= 0 ? args[nameIndex + 1] : undefined
  return (given ?? DEFAULT_CLUSTER_NAME) === name
}

/** The live control plane's pid, or undefined (a stale pid file is reported through `stale`). */
export async function runningPid(file: string, name: string): Promise<{pid?: number; stale?: number}> {
  const pid = await readPid(file)
  if (pid === undefined) return {}
  return (await isControlPlaneProcess(pid, name)) ? {pid} : {stale: pid}
}
