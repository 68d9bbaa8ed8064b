import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {openSqliteStore, type SqliteStore} from '../../../src/cluster/store/sqlite-store.js'
import type {StoreEvent} from '../../../src/cluster/store/store.js'
import type {WalSync} from '../../../src/cluster/store/wal-sync.js'

let dir: string
let store: SqliteStore | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcluster-group-commit-'))
})

afterEach(async () => {
  await store?.close()
  store = undefined
  await rm(dir, {recursive: true, force: true})
})

/** A WAL sync the test finishes by hand: each sync() waits until release() (or fail()). */
function heldSync() {
  const waiting: Array<{resolve: () => void; reject: (e: Error) => void}> = []
  let syncsNow = 0
  const sync: WalSync = {
    sync: () => new Promise<void>((resolve, reject) => waiting.push({resolve, reject})),
    syncNow: () => void syncsNow++,
    close: () => undefined,
  }
  return {
    sync,
    pending: () => waiting.length,
    syncsNow: () => syncsNow,
    release: () => waiting.splice(0).forEach((w) => w.resolve()),
    fail: (error: Error) => waiting.splice(0).forEach((w) => w.reject(error)),
  }
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Settles `promise` into a flag the test can look at without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state: {done: boolean; value?: T; error?: unknown} = {done: false}
  promise.then(
    (value) => Object.assign(state, {done: true, value}),
    (error: unknown) => Object.assign(state, {done: true, error}),
  )
  return state
}

describe('SqliteStore group commit', () => {
  it('acknowledges a write only once the WAL sync after its commit has finished', async () => {
    const wal = heldSync()
    store = await openSqliteStore(join(dir, 'a.db'), {walSync: wal.sync})
    const write = track(store.create('/k', 'v'))
    await turns()
    expect(wal.pending()).toBe(1)
    expect(write.done).toBe(false)
    wal.release()
    await turns()
    expect(write.value).toMatchObject({key: '/k', modRevision: 1})
  })

  it('shows a committed write to readers, watchers and revision() only once it is durable', async () => {
    const wal = heldSync()
    store = await openSqliteStore(join(dir, 'b.db'), {walSync: wal.sync})
    const events: StoreEvent[] = []
    const watch = store.watch('/k', 0)
    void (async () => {
      for await (const event of watch.events) events.push(event)
    })()
    void store.create('/k', 'v')
    await turns()
    expect(wal.pending()).toBe(1)
    const read = track(store.get('/k'))
    const listed = track(store.list('/'))
    await turns()
    expect(read.done).toBe(false)
    expect(listed.done).toBe(false)
    expect(events).toEqual([])
    expect(store.revision()).toBe(0)
    wal.release()
    await turns()
    expect(read.value).toMatchObject({value: 'v', modRevision: 1})
    expect(listed.value).toMatchObject({revision: 1, items: [{key: '/k'}]})
    expect(events.map((e) => [e.type, e.key, e.revision])).toEqual([['PUT', '/k', 1]])
    expect(store.revision()).toBe(1)
    watch.close()
  })

  it('commits writes that arrive during a sync together in the next batch, after it', async () => {
    const wal = heldSync()
    store = await openSqliteStore(join(dir, 'c.db'), {walSync: wal.sync})
    const first = track(store.create('/a', '1'))
    await turns()
    const more = ['/b', '/c', '/d'].map((key) => track(store!.create(key, '2')))
    await turns()
    // One sync in flight: the three wait for it, uncommitted.
    expect(wal.pending()).toBe(1)
    expect(store.stats().transactions).toBe(1)
    wal.release()
    await turns()
    expect(first.done).toBe(true)
    expect(more.some((w) => w.done)).toBe(false)
    expect(store.stats().transactions).toBe(2)
    wal.release()
    await turns()
    expect(more.map((w) => (w.value as {modRevision: number}).modRevision)).toEqual([2, 3, 4])
  })

  it('fails the batch and every later request with STORE_UNAVAILABLE when the WAL sync fails', async () => {
    const wal = heldSync()
    store = await openSqliteStore(join(dir, 'd.db'), {walSync: wal.sync})
    const write = store.create('/k', 'v')
    await turns()
    wal.fail(new Error('EIO: i/o error, fdatasync'))
    await expect(write).rejects.toMatchObject({code: 'STORE_UNAVAILABLE'})
    await expect(store.get('/k')).rejects.toMatchObject({code: 'STORE_UNAVAILABLE'})
    await expect(store.create('/other', 'v')).rejects.toMatchObject({code: 'STORE_UNAVAILABLE'})
  })

  it('commits and syncs the writes still queued when it is closed', async () => {
    const wal = heldSync()
    const path = join(dir, 'e.db')
    const closing = await openSqliteStore(path, {walSync: wal.sync})
    const write = track(closing.create('/k', 'v'))
    await closing.close()
    expect(wal.syncsNow()).toBe(1)
    await turns()
    expect(write.value).toMatchObject({modRevision: 1})
    store = await openSqliteStore(path)
    expect((await store.get('/k'))?.value).toBe('v')
  })

  it('keeps acknowledged writes across a reopen with the real WAL sync', async () => {
    const path = join(dir, 'f.db')
    const first = await openSqliteStore(path)
    await Promise.all(Array.from({length: 50}, (_, i) => first.create(`/k/${i}`, `v${i}`)))
    await first.close()
    store = await openSqliteStore(path)
    expect((await store.list('/k/')).items).toHaveLength(50)
    expect(store.revision()).toBe(50)
  })
})
