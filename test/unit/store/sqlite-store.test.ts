import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {openSqliteStore, type SqliteStore} from '../../../src/cluster/store/sqlite-store.js'
import {prefixEnd} from '../../../src/cluster/store/sqlite-statements.js'
import {
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  StoreUnavailableError,
} from '../../../src/cluster/store/store.js'

let dir: string
let store: SqliteStore

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcluster-store-'))
  store = await openSqliteStore(join(dir, 'nested', 'state.db'))
})

afterEach(async () => {
  await store.close()
  await rm(dir, {recursive: true, force: true})
})

describe('SqliteStore reads and writes', () => {
  it('creates a key at a new revision and reads it back', async () => {
    const kv = await store.create('/registry/pods/default/a', '{"a":1}')
    expect(kv).toEqual({key: '/registry/pods/default/a', value: '{"a":1}', createRevision: 1, modRevision: 1})
    expect(await store.get('/registry/pods/default/a')).toEqual(kv)
    expect(store.revision()).toBe(1)
    expect(await store.get('/registry/pods/default/missing')).toBeUndefined()
  })

  it('rejects creating an existing key with KeyExistsError and keeps the revision', async () => {
    await store.create('/k', 'one')
    await expect(store.create('/k', 'two')).rejects.toBeInstanceOf(KeyExistsError)
    expect(store.revision()).toBe(1)
    expect((await store.get('/k'))?.value).toBe('one')
  })

  it('updates only at the expected revision and keeps createRevision', async () => {
    const created = await store.create('/k', 'v1')
    const updated = await store.update('/k', 'v2', created.modRevision)
    expect(updated).toEqual({key: '/k', value: 'v2', createRevision: 1, modRevision: 2})
    const conflict = await store.update('/k', 'v3', created.modRevision).catch((error: unknown) => error)
    expect(conflict).toBeInstanceOf(RevisionConflictError)
    expect(conflict).toMatchObject({code: 'REVISION_CONFLICT', expected: 1, actual: 2})
    await expect(store.update('/absent', 'x', 1)).rejects.toBeInstanceOf(KeyNotFoundError)
    expect((await store.get('/k'))?.value).toBe('v2')
    expect(store.revision()).toBe(2)
  })

  it('deletes a key, returning its last value and the deletion revision', async () => {
    await store.create('/k', 'v1')
    const {modRevision} = await store.update('/k', 'v2', 1)
    await expect(store.delete('/k', 1)).rejects.toBeInstanceOf(RevisionConflictError)
    const result = await store.delete('/k', modRevision)
    expect(result).toEqual({deleted: {key: '/k', value: 'v2', createRevision: 1, modRevision: 2}, revision: 3})
    expect(await store.get('/k')).toBeUndefined()
    await expect(store.delete('/k')).rejects.toBeInstanceOf(KeyNotFoundError)
    const again = await store.create('/k', 'v3')
    expect(again).toMatchObject({createRevision: 4, modRevision: 4})
  })

  it('lists only keys under the prefix, in key order, with the revision read', async () => {
    await store.create('/registry/pods/b', 'b')
    await store.create('/registry/pods/a', 'a')
    await store.create('/registry/pods0', 'sibling')
    await store.create('/registry/podsx/c', 'other resource')
    await store.create('/registry/services/a', 's')
    const pods = await store.list('/registry/pods/')
    expect(pods.items.map((item) => item.key)).toEqual(['/registry/pods/a', '/registry/pods/b'])
    expect(pods.revision).toBe(5)
    const all = await store.list('')
    expect(all.items).toHaveLength(5)
    expect(all.items.map((item) => item.key)).toEqual([...all.items.map((item) => item.key)].sort())
  })

  it('bounds prefix ranges by incrementing the last code point', () => {
    expect(prefixEnd('/registry/pods/')).toBe('/registry/pods0')
    expect(prefixEnd('')).toBeUndefined()
    expect(prefixEnd('a\u{10ffff}')).toBe('b')
  })

  it('gives every write a strictly increasing revision', async () => {
    const results = await Promise.all(Array.from({length: 50}, (_, i) => store.create(`/k/${i}`, 'v')))
    const revisions = results.map((kv) => kv.modRevision)
    expect(new Set(revisions).size).toBe(50)
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b))
    const updated = await store.update('/k/0', 'w', revisions[0]!)
    expect(updated.modRevision).toBe(51)
  })
})

describe('SqliteStore write batching', () => {
  it('commits writes issued in the same tick in one transaction', async () => {
    const before = store.stats().transactions
    await Promise.all(Array.from({length: 200}, (_, i) => store.create(`/batch/${i}`, String(i))))
    expect(store.stats().transactions - before).toBe(1)
    await store.create('/batch/next-tick', 'x')
    expect(store.stats().transactions - before).toBe(2)
  })

  it('splits a tick with more writes than maxBatchSize into several transactions', async () => {
    const small = await openSqliteStore(':memory:', {maxBatchSize: 10})
    const results = await Promise.all(Array.from({length: 25}, (_, i) => small.create(`/b/${i}`, 'v')))
    expect(small.stats().transactions).toBe(3)
    expect(results.map((kv) => kv.modRevision)).toEqual(Array.from({length: 25}, (_, i) => i + 1))
    await small.close()
  })

  it('checks each op of a batch against the ops before it', async () => {
    const first = store.create('/x', 'a')
    const duplicate = store.create('/x', 'b')
    const update = store.update('/x', 'c', 1)
    const staleUpdate = store.update('/x', 'd', 1)
    const remove = store.delete('/x', 2)
    const results = await Promise.allSettled([first, duplicate, update, staleUpdate, remove])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(KeyExistsError)
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(RevisionConflictError)
    // Failed ops consume no revision: create=1, update=2, delete=3.
    expect((results[4] as PromiseFulfilledResult<{revision: number}>).value.revision).toBe(3)
    expect(store.revision()).toBe(3)
    expect(await store.get('/x')).toBeUndefined()
  })

  it('rejects a whole batch with StoreUnavailableError when the disk is full, then recovers', async () => {
    await store.create('/small', 'x')
    const cap = store.setMaxPageCount(1)
    const big = 'z'.repeat(200_000)
    const results = await Promise.allSettled([store.create('/big', big), store.create('/other', 'y')])
    for (const result of results) {
      expect(result.status).toBe('rejected')
      const reason = (result as PromiseRejectedResult).reason as StoreUnavailableError
      expect(reason).toBeInstanceOf(StoreUnavailableError)
      expect((reason.cause as {code?: string}).code).toBe('SQLITE_FULL')
    }
    expect(store.revision()).toBe(1)
    expect(await store.get('/other')).toBeUndefined()
    expect((await store.list('')).items).toHaveLength(1)

    store.setMaxPageCount(cap + 100_000)
    const kv = await store.create('/big', big)
    expect(kv.modRevision).toBe(2)
    expect((await store.get('/big'))?.value).toHaveLength(200_000)
  })

  it('flushes pending writes on close and refuses work afterwards', async () => {
    const pending = store.create('/late', 'v')
    await store.close()
    await expect(pending).resolves.toMatchObject({modRevision: 1})
    await expect(store.create('/after', 'v')).rejects.toMatchObject({code: 'STORE_CLOSED'})
    await expect(store.get('/late')).rejects.toMatchObject({code: 'STORE_CLOSED'})
    store = await openSqliteStore(join(dir, 'nested', 'state.db'))
    expect((await store.get('/late'))?.value).toBe('v')
  })
})

describe('SqliteStore persistence', () => {
  it('keeps data, revision and compact revision across reopen', async () => {
    await store.create('/a', '1')
    await store.create('/b', '2')
    await store.delete('/a')
    await store.compact(2)
    await store.close()
    store = await openSqliteStore(join(dir, 'nested', 'state.db'))
    expect(store.revision()).toBe(3)
    expect(store.compactRevision()).toBe(2)
    expect((await store.list('/')).items.map((kv) => kv.key)).toEqual(['/b'])
    expect((await store.create('/c', '3')).modRevision).toBe(4)
  })

  it('works in memory for throwaway stores', async () => {
    const memory = await openSqliteStore(':memory:')
    await memory.create('/m', 'v')
    expect((await memory.get('/m'))?.value).toBe('v')
    await memory.close()
  })
})
