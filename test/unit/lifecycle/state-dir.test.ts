import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ClusterError} from '../../../src/cluster/lifecycle/cluster-error.js'
import {findFreePort, kclusterHome, portInUse, readConfig, statePaths, validateClusterName, writeConfig} from '../../../src/cluster/lifecycle/state-dir.js'

describe('state directory', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'kcluster-home-'))
  })
  afterEach(async () => {
    await rm(home, {recursive: true, force: true})
  })

  it('lays out every file under <home>/<name>/', () => {
    const p = statePaths('dev', home)
    expect(p.dir).toBe(path.join(home, 'dev'))
    expect(path.relative(p.dir, p.config)).toBe('config.json')
    expect(path.relative(p.dir, p.store)).toBe('store.db')
    expect(path.relative(p.dir, p.pki)).toBe('pki')
    expect(path.relative(p.dir, p.pid)).toBe('control-plane.pid')
    expect(path.relative(p.dir, p.log)).toBe('control-plane.log')
  })

  it('takes the root from KCLUSTER_HOME, else ~/.kcluster', () => {
    expect(kclusterHome({KCLUSTER_HOME: '/x/y'})).toBe('/x/y')
    expect(kclusterHome({})).toBe(path.join(os.homedir(), '.kcluster'))
  })

  it('rejects names that are not DNS labels, saying what is allowed', () => {
    for (const bad of ['', 'Dev', 'a_b', '-a', 'a/../b', 'x'.repeat(64)]) {
      expect(() => validateClusterName(bad)).toThrow(ClusterError)
    }
    expect(() => validateClusterName('dev-1')).not.toThrow()
  })

  it('round-trips config.json and reports a missing one as undefined', async () => {
    const p = statePaths('dev', home)
    expect(await readConfig(p)).toBeUndefined()
    const config = {name: 'dev', driver: 'sim' as const, port: 41234, createdAt: '2026-11-22T08:00:00.000Z'}
    await writeConfig(p, config)
    expect(await readConfig(p)).toEqual(config)
    expect(JSON.parse(await readFile(p.config, 'utf8'))).toEqual(config)
    expect((await stat(p.dir)).mode & 0o777).toBe(0o700)
  })

  it('explains a corrupt config.json instead of crashing', async () => {
    const p = statePaths('dev', home)
    await writeConfig(p, {name: 'dev', driver: 'sim', port: 1, createdAt: ''})
    await writeFile(p.config, '{"name": "dev", ')
    await expect(readConfig(p)).rejects.toMatchObject({code: 'InvalidInput', message: expect.stringContaining('config.json')})
  })

  it('finds a port that can be bound and tells a taken port from a free one', async () => {
    const port = await findFreePort()
    expect(port).toBeGreaterThan(0)
    expect(await portInUse(port)).toBe(false)
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    try {
      expect(await portInUse(port)).toBe(true)
    } finally {
      server.close()
    }
  })
})
