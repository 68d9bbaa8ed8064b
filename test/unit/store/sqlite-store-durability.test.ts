import {spawn} from 'node:child_process'
import {mkdtemp, open, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {openSqliteStore} from '../../../src/cluster/store/sqlite-store.js'
import {StoreError} from '../../../src/cluster/store/store.js'

const CHILD = resolve(import.meta.dirname, '../../fixtures/store-crash-child.ts')

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcluster-durability-'))
})

afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

/** Runs the crash child until it has printed `acks` acknowledgements, then SIGKILLs it. */
function runAndKill(path: string, acks: number): Promise<Map<string, number>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], {stdio: ['ignore', 'pipe', 'pipe']})
    const acked = new Map<string, number>()
    let buffered = ''
    let stderr = ''
    let killed = false
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        const [kind, key, revision] = line.split(' ')
        if (kind === 'ack' && key && revision) acked.set(key, Number(revision))
      }
      if (!killed && acked.size >= acks) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('exit', (_code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL' && killed) resolvePromise(acked)
      else reject(new Error(`child ended before ${acks} acks (signal ${signal}, ${acked.size} acks): ${stderr}`))
    })
  })
}

describe('SqliteStore durability', () => {
  it('keeps every acknowledged write after the writing process is killed with SIGKILL', async () => {
    const path = join(dir, 'crash.db')
    const acked = await runAndKill(path, 300)
    expect(acked.size).toBeGreaterThanOrEqual(300)
    const store = await openSqliteStore(path)
    try {
      for (const [key, revision] of acked) {
        const kv = await store.get(key)
        expect(kv, key).toBeDefined()
        expect(kv?.modRevision).toBe(revision)
      }
      expect(store.revision()).toBeGreaterThanOrEqual(Math.max(...acked.values()))
      // The reopened store keeps numbering after the last committed revision.
      const next = await store.create('/after-crash', 'v')
      expect(next.modRevision).toBe(store.revision())
      expect(next.modRevision).toBeGreaterThan(Math.max(...acked.values()))
    } finally {
      await store.close()
    }
  })

  it('refuses to open a file with overwritten pages, with STORE_CORRUPT naming the file', async () => {
    const path = join(dir, 'damaged.db')
    const store = await openSqliteStore(path)
    await Promise.all(Array.from({length: 2000}, (_, i) => store.create(`/k/${String(i).padStart(5, '0')}`, 'v'.repeat(100))))
    await store.close()
    const {size} = await stat(path)
    const pageSize = 4096
    const pages = Math.floor(size / pageSize)
    expect(pages).toBeGreaterThan(20)
    const file = await open(path, 'r+')
    try {
      // Overwrite a run of whole pages in the middle with a byte that is not a valid b-tree page type.
      const start = Math.floor(pages / 2) * pageSize
      await file.write(Buffer.alloc(pageSize * 4, 0xa5), 0, pageSize * 4, start)
    } finally {
      await file.close()
    }
    const error = await openSqliteStore(path).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StoreError)
    expect(error).toMatchObject({code: 'STORE_CORRUPT'})
    expect((error as Error).message).toContain(path)
  })

  it('refuses to open a file whose header is garbage', async () => {
    const path = join(dir, 'garbage.db')
    const store = await openSqliteStore(path)
    await store.create('/k', 'v')
    await store.close()
    const file = await open(path, 'r+')
    await file.write(Buffer.alloc(100, 0x42), 0, 100, 0)
    await file.close()
    await expect(openSqliteStore(path)).rejects.toMatchObject({code: 'STORE_CORRUPT'})
  })
})
