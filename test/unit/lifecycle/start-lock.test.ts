import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {acquireStartLock, startLockPath} from '../../../src/cluster/lifecycle/start-lock.js'
import {statePaths} from '../../../src/cluster/lifecycle/state-dir.js'

const paths = () => statePaths('dev', mkdtempSync(join(tmpdir(), 'kcluster-lock-')))

describe('start lock', () => {
  it('is exclusive while its holder lives and free again once released', async () => {
    const p = paths()
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {stdio: 'ignore'})
    try {
      writeFileSync(startLockPath(p), String(holder.pid))
      expect(() => acquireStartLock(p)).toThrow(`another "kcluster start" for cluster "dev" is in progress (pid ${holder.pid})`)
    } finally {
      holder.kill()
    }
  })

  it('takes over a lock left by a process that is gone', async () => {
    const p = paths()
    const gone = spawn(process.execPath, ['-e', '0'], {stdio: 'ignore'})
    await new Promise((r) => gone.on('exit', r))
    writeFileSync(startLockPath(p), String(gone.pid))
    const release = acquireStartLock(p)
    release()
    expect(existsSync(startLockPath(p))).toBe(false)
  })

  it('lets the same cluster be started again after a release', () => {
    const p = paths()
    acquireStartLock(p)()
    const again = acquireStartLock(p)
    expect(existsSync(startLockPath(p))).toBe(true)
    again()
  })
})
