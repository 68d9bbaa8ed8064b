// Store file damage: a file cut short or overwritten after kcluster wrote it must be refused with a
// clear STORE_CORRUPT error, or recovered to the last intact commit; it must never be served as if
// nothing had happened. The stores are written through the Store interface, damaged with plain fs
// writes, and reopened.
import {copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {markerPath, writeCleanMarker} from '../../src/cluster/store/clean-shutdown.js'
import {openSqliteStore, type SqliteStore} from '../../src/cluster/store/sqlite-store.js'
import {StoreCorruptError} from '../../src/cluster/store/storage-errors.js'

const PAGE = 4096
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kcluster-store-damage-'))
})

afterEach(() => {
  rmSync(dir, {recursive: true, force: true})
})

const keyOf = (i: number) => `/registry/configmaps/default/cm-${String(i).padStart(5, '0')}`
const valueOf = (i: number) => JSON.stringify({kind: 'ConfigMap', metadata: {name: `cm-${i}`}, data: {index: String(i), pad: 'p'.repeat(300)}})

/** A cleanly closed store holding `count` objects, written in batches of 250 (one transaction each). */
async function writtenStore(name: string, count: number): Promise<string> {
  const path = join(dir, name)
  const store = await openSqliteStore(path)
  for (let start = 0; start < count; start += 250) {
    await Promise.all(Array.from({length: Math.min(250, count - start)}, (_, j) => store.create(keyOf(start + j), valueOf(start + j))))
  }
  await store.close()
  return path
}

function overwrite(path: string, bytes: Buffer, position: number): void {
  const file = readFileSync(path)
  bytes.copy(file, position)
  writeFileSync(path, file)
}

async function openError(path: string): Promise<unknown> {
  return openSqliteStore(path).then(
    async (store) => {
      await store.close()
      return undefined
    },
    (error: unknown) => error,
  )
}

function expectRefused(error: unknown, path: string): void {
  expect(error, 'the damaged store was opened').toBeInstanceOf(StoreCorruptError)
  const corrupt = error as StoreCorruptError
  expect(corrupt.name).toBe('StoreCorruptError')
  expect(corrupt.code).toBe('STORE_CORRUPT')
  expect(corrupt.message).toContain(path)
  expect(corrupt.why).toMatch(/no longer holds what kcluster wrote/)
  expect(corrupt.fix).toContain(`restore ${path} from a backup`)
}

describe('a store file with a damaged tail', () => {
  it.each([
    ['one page', PAGE],
    ['half a page', PAGE / 2],
    ['ten pages', 10 * PAGE],
  ])('refuses to open a file that lost %s from its end', async (_label, cut) => {
    const path = await writtenStore('cut.db', 2000)
    truncateSync(path, statSync(path).size - cut)
    expectRefused(await openError(path), path)
  })

  it('refuses a file cut short even when its clean-close marker matches (the fast path checks the length)', async () => {
    const path = await writtenStore('cut-quietly.db', 2000)
    // Half a page: the b-tree pages the open itself reads stay whole, so only the length check sees it.
    truncateSync(path, statSync(path).size - PAGE / 2)
    writeCleanMarker(path)
    expectRefused(await openError(path), path)
  })

  it.each([
    ['random bytes', () => Buffer.from(Array.from({length: 2 * PAGE}, (_, i) => (i * 7919 + 13) % 251))],
    ['zeros', () => Buffer.alloc(2 * PAGE)],
  ])('refuses to open a file whose last two pages were overwritten with %s', async (_label, bytes) => {
    const path = await writtenStore('overwritten.db', 2000)
    overwrite(path, bytes(), statSync(path).size - 2 * PAGE)
    expectRefused(await openError(path), path)
  })

  it("refuses to open a file with one changed byte inside a stored value, which SQLite's page checks cannot see", async () => {
    const path = await writtenStore('flipped.db', 2000)
    // The last object's value lies in the file's last pages; change one digit of its data.
    const needle = Buffer.from(`"index":"1999"`)
    const at = readFileSync(path).lastIndexOf(needle)
    expect(at).toBeGreaterThan(statSync(path).size - 8 * PAGE)
    overwrite(path, Buffer.from('7'), at + needle.length - 2)
    const error = await openError(path)
    expectRefused(error, path)
    expect((error as Error).message).toMatch(/cm-01999 at revision \d+ fails its checksum|history entry \d+ \(\/registry\/configmaps\/default\/cm-01999\) fails its checksum/)
  })

  it('fails the read of a damaged value instead of serving it when the damage hid from the open, and refuses the next open', async () => {
    const path = await writtenStore('hidden.db', 500)
    // Both copies of the value (the object and its history entry) get the changed digit.
    const needle = Buffer.from(`"index":"499"`)
    const file = readFileSync(path)
    for (let at = file.indexOf(needle); at >= 0; at = file.indexOf(needle, at + 1)) file[at + needle.length - 2] = 0x38
    writeFileSync(path, file)
    // Damage the clean-close marker cannot see (as if a tool wrote the file and restored its times):
    // the open takes the fast path and only the per-read checksum stands between the damage and a client.
    writeCleanMarker(path)
    const store = await openSqliteStore(path)
    try {
      expect(store.stats().scannedAtOpen).toBe(false)
      await expect(store.get(keyOf(499))).rejects.toMatchObject({name: 'StoreCorruptError', code: 'STORE_CORRUPT'})
      await expect(store.list('/registry/configmaps/')).rejects.toMatchObject({code: 'STORE_CORRUPT'})
      expect((await store.get(keyOf(0)))?.value).toBe(valueOf(0))
    } finally {
      await store.close()
    }
    // A run that met damage leaves no clean marker: the next open scans and refuses.
    expect(existsSync(markerPath(path))).toBe(false)
    expectRefused(await openError(path), path)
  })

  it('fails reads that meet a broken page with STORE_CORRUPT when the damage hid from the open', async () => {
    const path = await writtenStore('broken-page.db', 2000)
    const pages = statSync(path).size / PAGE
    overwrite(path, Buffer.alloc(4 * PAGE, 0xa5), Math.floor(pages / 2) * PAGE)
    writeCleanMarker(path)
    const store = await openSqliteStore(path)
    try {
      expect(store.stats().scannedAtOpen).toBe(false)
      const error = await store.list('/registry/').catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(StoreCorruptError)
      expect((error as StoreCorruptError).cause).toMatchObject({code: 'SQLITE_CORRUPT'})
    } finally {
      await store.close()
    }
    expect(existsSync(markerPath(path))).toBe(false)
  })

  it('opens an untouched store after a clean close without the full scan, and scans after a crash', async () => {
    const path = await writtenStore('clean.db', 300)
    expect(existsSync(markerPath(path))).toBe(true)
    const copy = join(dir, 'crashed.db')
    let store = await openSqliteStore(path)
    expect(store.stats().scannedAtOpen).toBe(false)
    expect(existsSync(markerPath(path)), 'the marker is consumed at open').toBe(false)
    await store.create('/registry/configmaps/default/late', 'v')
    // A copy taken while the store is open is what a crash leaves behind: no marker.
    copyFileSync(path, copy)
    copyFileSync(`${path}-wal`, `${copy}-wal`)
    await store.close()
    store = await openSqliteStore(copy)
    try {
      expect(store.stats().scannedAtOpen).toBe(true)
      expect((await store.get('/registry/configmaps/default/late'))?.value).toBe('v')
    } finally {
      await store.close()
    }
  })
})

// One transaction per tick: the creates of pair i (`a` and `b`) are submitted together and commit
// together, so any recovered state must hold both or neither.
async function writePairs(store: SqliteStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await Promise.all([store.create(`/w/${i}/a`, `a${i}`), store.create(`/w/${i}/b`, `b${i}`)])
  }
}

/** A store whose last `pairs` commits are still only in its WAL, copied as a crash would leave it. */
async function crashImageWithWal(pairs: number): Promise<{path: string; base: number}> {
  const live = await writtenStore('live.db', 200)
  const store = await openSqliteStore(live)
  const base = store.revision()
  await writePairs(store, pairs)
  const path = join(dir, 'image.db')
  copyFileSync(live, path)
  copyFileSync(`${live}-wal`, `${path}-wal`)
  await store.close()
  return {path, base}
}

/** Asserts the reopened store is exactly the state after some commit: whole pairs up to it, nothing after. */
async function expectLastGoodCommit(path: string, base: number, pairs: number): Promise<number> {
  const store = await openSqliteStore(path)
  try {
    const revision = store.revision()
    const recovered = (revision - base) / 2
    expect(Number.isInteger(recovered), `revision ${revision} splits a pair`).toBe(true)
    expect(recovered).toBeGreaterThanOrEqual(0)
    const listed = (await store.list('/w/')).items
    expect(listed).toHaveLength(recovered * 2)
    for (let i = 0; i < pairs; i++) {
      const [a, b] = [await store.get(`/w/${i}/a`), await store.get(`/w/${i}/b`)]
      if (i < recovered) {
        expect(a).toMatchObject({value: `a${i}`, modRevision: base + 2 * i + 1})
        expect(b).toMatchObject({value: `b${i}`, modRevision: base + 2 * i + 2})
      } else {
        expect(a, `pair ${i} is newer than the recovered revision ${revision}`).toBeUndefined()
        expect(b).toBeUndefined()
      }
    }
    expect((await store.list('/registry/')).items).toHaveLength(200)
    // Numbering continues right after the recovered commit.
    expect((await store.create('/after', 'x')).modRevision).toBe(revision + 1)
    return recovered
  } finally {
    await store.close()
  }
}

describe('a store whose write-ahead log was damaged by a crash', () => {
  const PAIRS = 40
  const FRAME = 24 + PAGE

  it('recovers every commit of an intact WAL', async () => {
    const {path, base} = await crashImageWithWal(PAIRS)
    expect(await expectLastGoodCommit(path, base, PAIRS)).toBe(PAIRS)
  })

  it.each([
    ['inside its last frame', (size: number) => size - FRAME / 2],
    ['in the middle', (size: number) => Math.floor(size / 2)],
  ])('recovers to the last intact commit when the WAL is cut off %s', async (_label, cutAt) => {
    const {path, base} = await crashImageWithWal(PAIRS)
    const wal = `${path}-wal`
    truncateSync(wal, cutAt(statSync(wal).size))
    const recovered = await expectLastGoodCommit(path, base, PAIRS)
    expect(recovered).toBeLessThan(PAIRS)
  })

  it.each([
    ['its last frame', (size: number) => size - FRAME + 100],
    ['a frame in the middle', (size: number) => 32 + Math.floor((size - 32) / FRAME / 2) * FRAME + 500],
  ])('recovers to the last intact commit when bytes of %s are overwritten', async (_label, at) => {
    const {path, base} = await crashImageWithWal(PAIRS)
    const wal = `${path}-wal`
    overwrite(wal, Buffer.alloc(64, 0x5a), at(statSync(wal).size))
    const recovered = await expectLastGoodCommit(path, base, PAIRS)
    expect(recovered).toBeLessThan(PAIRS)
  })
})
