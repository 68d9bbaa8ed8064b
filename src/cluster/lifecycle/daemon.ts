// Starting the detached control-plane process: `node control-plane-main.js --name N`, in its own
// process group, stdout/stderr appended to the cluster's log, so it outlives the `kcluster start`
// that spawned it. Run from the src tree (tsx), the entry is loaded through tsx.
import {spawn, type ChildProcess} from 'node:child_process'
import {closeSync, fstatSync, openSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {StatePaths} from './state-dir.js'

const here = path.dirname(fileURLToPath(import.meta.url))

/** Node arguments that run the control-plane entry beside this file (compiled or, under tsx, from source). */
export function controlPlaneArgs(name: string): string[] {
  const runningFromSource = import.meta.url.endsWith('.ts')
  const entry = path.join(here, runningFromSource ? 'control-plane-main.ts' : 'control-plane-main.js')
  return [...(runningFromSource ? ['--import', 'tsx'] : []), entry, '--name', name]
}

export interface SpawnedControlPlane {
  pid: number
  child: ChildProcess
  /** Resolves with the exit code or signal if the process ends; it never resolves while it keeps running. */
  exited: Promise<string>
  /** Lets the calling process exit without waiting for the control plane. */
  detach(): void
  /** Size of the log before this process wrote to it: where its own lines start. */
  logOffset: number
}

export function spawnControlPlane(name: string, paths: StatePaths, env: NodeJS.ProcessEnv = process.env): SpawnedControlPlane {
  const log = openSync(paths.log, 'a', 0o600)
  const logOffset = fstatSync(log).size
  let child: ChildProcess
  try {
    child = spawn(process.execPath, controlPlaneArgs(name), {
      detached: true,
      stdio: ['ignore', log, log],
      env: {...env, KCLUSTER_HOME: paths.home, KCLUSTER_LOG_LEVEL: env.KCLUSTER_LOG_LEVEL ?? 'info'},
      cwd: paths.dir,
    })
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log)
  }
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with code ${code}`))
    child.once('error', (error) => resolve(`could not start: ${error.message}`))
  })
  if (child.pid === undefined) throw new Error(`could not spawn ${process.execPath}`)
  return {
    pid: child.pid,
    child,
    exited,
    detach: () => child.unref(),
    logOffset,
  }
}

/** The last `count` lines of the control-plane log from `offset` on (this run's lines), for error messages. */
export async function logTail(file: string, count = 20, offset = 0): Promise<string[]> {
  let text: string
  try {
    text = (await readFile(file)).subarray(offset).toString('utf8')
  } catch {
    return []
  }
  return text.split('\n').filter((l) => l.trim() !== '').slice(-count)
}
