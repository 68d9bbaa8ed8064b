// Disk full: a real control plane whose state dir is a 2 MiB tmpfs. Once a filler file takes the last
// byte, writes must fail with a clear 5xx Status (500 InternalError saying the disk is full, as
// kube-apiserver answers etcd's NOSPACE), nothing acknowledged may be lost, reads keep working, and
// writes succeed again once the filler is deleted.
import {execFileSync} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestCluster, type TestCluster} from '../integration/harness.js'

const SIZE = '2m'

/** Mounts a tmpfs, or says why it cannot; under CI=true not being able to is a failure, not a skip. */
function mountSmallDisk(): {dir?: string; reason?: string} {
  if (process.getuid?.() !== 0) return {reason: 'mounting a tmpfs needs root (CI runs as root)'}
  const dir = mkdtempSync(join(tmpdir(), 'kcluster-disk-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE},mode=0700`, 'tmpfs', dir], {stdio: 'pipe'})
    return {dir}
  } catch (error) {
    rmSync(dir, {recursive: true, force: true})
    return {reason: `mount -t tmpfs failed: ${(error as {stderr?: Buffer}).stderr?.toString().trim() || (error as Error).message}`}
  }
}

const disk = mountSmallDisk()
const mustRun = process.env.CI === 'true'
if (disk.reason && !mustRun) console.warn(`skipping the disk-full fault test: ${disk.reason}`)

describe.runIf(disk.dir || mustRun)('writes on a full disk', () => {
  let cluster: TestCluster | undefined
  const filler = () => join(disk.dir!, 'filler')
  const acknowledged = new Map<string, string>()
  const path = '/api/v1/namespaces/default/configmaps'

  beforeAll(async () => {
    if (!disk.dir) throw new Error(`CI=true but the small disk could not be mounted: ${disk.reason}`)
    cluster = await startTestCluster({}, {stateDir: join(disk.dir, 'state'), keepState: true})
  })

  afterAll(async () => {
    await cluster?.stop().catch(() => undefined)
    if (disk.dir) {
      execFileSync('umount', [disk.dir])
      rmSync(disk.dir, {recursive: true, force: true})
    }
  })

  const create = (name: string, data: string) => cluster!.request('POST', path, {body: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {blob: data}}})

  /** Writes the filler until the filesystem refuses another byte (bounded by the 2 MiB size). */
  function fillDisk(): number {
    const fd = openSync(filler(), 'w')
    let written = 0
    try {
      for (const chunk of [65536, 4096, 512, 1]) {
        const buffer = Buffer.alloc(chunk, 0x66)
        for (let i = 0; i < 4096; i++) {
          try {
            written += writeSync(fd, buffer)
          } catch (error) {
            if ((error as {code?: string}).code !== 'ENOSPC') throw error
            break
          }
        }
      }
    } finally {
      closeSync(fd)
    }
    return written
  }

  it('answers writes with 500 InternalError naming the full disk, keeps every acknowledged write and keeps serving reads', async () => {
    for (let i = 0; i < 5; i++) {
      const data = `before-${i}-`.padEnd(20_000, 'x')
      const res = await create(`before-${i}`, data)
      expect(res.status, res.text).toBe(201)
      acknowledged.set(`before-${i}`, data)
    }
    expect(fillDisk()).toBeGreaterThan(0)

    // SQLite reuses WAL space it already holds, so some writes may still fit: write until one does not.
    let refused: Awaited<ReturnType<typeof create>> | undefined
    let refusedName = ''
    for (let i = 0; i < 200 && !refused; i++) {
      const data = `full-${i}-`.padEnd(50_000, 'y')
      const res = await create(`full-${i}`, data)
      if (res.status === 201) acknowledged.set(`full-${i}`, data)
      else [refused, refusedName] = [res, `full-${i}`]
    }
    expect(refused, 'no write failed on a full disk').toBeDefined()
    expect(refused!.status, refused!.text).toBe(500)
    expect(refused!.headers['retry-after']).toBeUndefined()
    expect(refused!.json).toMatchObject({kind: 'Status', status: 'Failure', reason: 'InternalError', code: 500})
    expect(refused!.json.message).toMatch(/the disk is full/)
    expect(refused!.json.message).toMatch(/the write was not applied/)

    // The refused object does not exist; every acknowledged one reads back whole; listing works.
    expect((await cluster!.request('GET', `${path}/${refusedName}`)).status).toBe(404)
    for (const [name, data] of acknowledged) {
      const res = await cluster!.request('GET', `${path}/${name}`)
      expect(res.status, name).toBe(200)
      expect(res.json.data.blob).toBe(data)
    }
    const list = await cluster!.request('GET', path)
    expect(list.status).toBe(200)
    const listed = new Set((list.json.items as Array<{metadata: {name: string}}>).map((item) => item.metadata.name))
    for (const name of acknowledged.keys()) expect(listed.has(name), name).toBe(true)
    expect((await cluster!.request('GET', '/api/v1/nodes')).status).toBe(200)
  })

  it('accepts writes again once space is freed, and a restart finds every acknowledged write', async () => {
    rmSync(filler())
    const res = await create('after-space', 'z'.repeat(10_000))
    expect(res.status, res.text).toBe(201)
    acknowledged.set('after-space', 'z'.repeat(10_000))

    const stateDir = cluster!.stateDir
    await cluster!.stop()
    cluster = await startTestCluster({}, {stateDir, keepState: true})
    for (const [name, data] of acknowledged) {
      const got = await cluster.request('GET', `${path}/${name}`)
      expect(got.status, name).toBe(200)
      expect(got.json.data.blob).toBe(data)
    }
  })
})
