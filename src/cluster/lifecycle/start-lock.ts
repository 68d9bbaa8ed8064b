// One `kcluster start` per cluster at a time: two at once would each pick a port, spawn a control
// plane and race on the store. The lock is a file created exclusively, holding the starter's pid; a
// lock whose process is gone (killed mid-start) is taken over.
import {mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync} from 'node:fs'
import path from 'node:path'
import {ClusterError} from './cluster-error.js'
import {nameArg, type StatePaths} from './state-dir.js'

export function startLockPath(paths: StatePaths): string {
  return path.join(paths.home, `.${path.basename(paths.dir)}.start.lock`)
}

/** Takes the lock or throws; returns the release function (also run when the process exits). */
export function acquireStartLock(paths: StatePaths): () => void {
  const file = startLockPath(paths)
  mkdirSync(paths.home, {recursive: true, mode: 0o700})
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      const release = () => {
        process.off('exit', release)
        if (holder(file) === process.pid) unlinkSync(file)
      }
      process.on('exit', release)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = holder(file)
      if (pid !== undefined && pid !== process.pid && alive(pid)) {
        const name = path.basename(paths.dir)
        throw new ClusterError('StartFailed', `another "kcluster start" for cluster "${name}" is in progress (pid ${pid})`, {
          why: 'two starts at once would race on the same state directory',
          fix: `wait for it to finish, then run kcluster status${nameArg(name)}`,
        })
      }
      // The process that held it is gone: take the lock over.
      try {
        unlinkSync(file)
      } catch {
        // someone else took it over first; the next attempt decides
      }
    }
  }
  throw new ClusterError('StartFailed', `could not take the start lock ${file}`, {fix: `remove ${file} if no kcluster start is running`})
}

function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
