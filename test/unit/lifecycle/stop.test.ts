import {spawn} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {isControlPlaneProcess, processAlive, readPid, runningPid, writePid} from '../../../src/cluster/lifecycle/pid-file.js'
import {statePaths, writeConfig} from '../../../src/cluster/lifecycle/state-dir.js'
import {stopCluster, stopControlPlane} from '../../../src/cluster/lifecycle/stop.js'

// A stand-in control plane: a node process whose command line reads like ours.
function fakeControlPlane(name: string, script: string) {
  const child = spawn(process.execPath, ['-e', script, 'control-plane', '--name', name], {stdio: 'ignore'})
  return child
}

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('stopping a control plane', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'kcluster-stop-'))
  })
  afterEach(async () => {
    await rm(home, {recursive: true, force: true})
  })

  it('treats a pid file naming a dead process as stale and removes it', async () => {
    const p = statePaths('dev', home)
    await writeConfig(p, {name: 'dev', driver: 'sim', port: 1, createdAt: ''})
    const dead = spawn(process.execPath, ['-e', '0'])
    await new Promise((r) => dead.once('exit', r))
    await writePid(p.pid, dead.pid)
    const result = await stopCluster('dev', home)
    expect(result).toMatchObject({stopped: false, stalePid: dead.pid})
    expect(await readPid(p.pid)).toBeUndefined()
  })

  it('does not signal a live process whose command line is not a control plane (pid reuse)', async () => {
    const p = statePaths('dev', home)
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'})
    try {
      await writePid(p.pid, other.pid)
      expect(await isControlPlaneProcess(other.pid!, 'dev')).toBe(false)
      const outcome = await stopControlPlane(p.pid, 'dev')
      expect(outcome).toMatchObject({wasRunning: false, stalePid: other.pid})
      expect(processAlive(other.pid!)).toBe(true)
    } finally {
      other.kill('SIGKILL')
    }
  })

  it('does not count a control plane of another cluster as this one', async () => {
    const child = fakeControlPlane('other', 'setInterval(() => {}, 1000)')
    try {
      await waitUntil(() => processAlive(child.pid!))
      expect(await isControlPlaneProcess(child.pid!, 'other')).toBe(true)
      expect(await isControlPlaneProcess(child.pid!, 'dev')).toBe(false)
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('sends SIGTERM and waits for the process to exit cleanly', async () => {
    const p = statePaths('dev', home)
    const marker = path.join(home, 'terminated')
    const child = fakeControlPlane('dev', `process.on('SIGTERM', () => { require('fs').writeFileSync(${JSON.stringify(marker)}, 'yes'); process.exit(0) }); setInterval(() => {}, 1000)`)
    await new Promise((r) => setTimeout(r, 200))
    await writePid(p.pid, child.pid)
    expect((await runningPid(p.pid, 'dev')).pid).toBe(child.pid)
    const outcome = await stopControlPlane(p.pid, 'dev', {graceMs: 5000})
    expect(outcome).toEqual({pid: child.pid, wasRunning: true, killed: false})
    expect(await readFile(marker, 'utf8')).toBe('yes')
    expect(await readPid(p.pid)).toBeUndefined()
  })

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const p = statePaths('dev', home)
    const child = fakeControlPlane('dev', `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)`)
    await new Promise((r) => setTimeout(r, 200))
    await writePid(p.pid, child.pid)
    const started = Date.now()
    const outcome = await stopControlPlane(p.pid, 'dev', {graceMs: 400, pollMs: 50})
    expect(outcome).toMatchObject({wasRunning: true, killed: true})
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    expect(processAlive(child.pid!)).toBe(false)
  })

  it('reports a cluster that was never created as NotFound', async () => {
    await expect(stopCluster('nope', home)).rejects.toMatchObject({code: 'NotFound'})
  })

  it('ignores a pid file with garbage in it', async () => {
    const p = statePaths('dev', home)
    await writeConfig(p, {name: 'dev', driver: 'sim', port: 1, createdAt: ''})
    await writeFile(p.pid, 'not a pid\n')
    expect(await readPid(p.pid)).toBeUndefined()
    expect(await stopCluster('dev', home)).toMatchObject({stopped: false})
  })
})
