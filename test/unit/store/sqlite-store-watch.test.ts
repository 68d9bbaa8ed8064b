import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {openSqliteStore, type SqliteStore} from '../../../src/cluster/store/sqlite-store.js'
import {CompactedError, type StoreEvent} from '../../../src/cluster/store/store.js'

let dir: string
let store: SqliteStore

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcluster-watch-'))
  store = await openSqliteStore(join(dir, 'state.db'), {replayPageSize: 7})
})

afterEach(async () => {
  await store.close()
  await rm(dir, {recursive: true, force: true})
})

/** Reads exactly `count` events, failing after 5 s instead of hanging. */
async function take(events: AsyncIterable<StoreEvent>, count: number): Promise<StoreEvent[]> {
  const iterator = events[Symbol.asyncIterator]()
  const seen: StoreEvent[] = []
  for (let i = 0; i < count; i++) {
    const result = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${seen.length} events`)), 5000)),
    ])
    if (result.done) throw new Error(`iterator ended after ${seen.length} events`)
    seen.push(result.value)
  }
  return seen
}

describe('SqliteStore watch', () => {
  it('replays everything from revision 0 with create, update and delete shapes', async () => {
    await store.create('/w/a', 'a1')
    await store.update('/w/a', 'a2', 1)
    await store.create('/other/b', 'b')
    await store.delete('/w/a')
    const watch = store.watch('/w/', 0)
    const events = await take(watch.events, 3)
    watch.close()
    expect(events[0]).toEqual({
      type: 'PUT', revision: 1, key: '/w/a', created: true,
      kv: {key: '/w/a', value: 'a1', createRevision: 1, modRevision: 1},
    })
    expect(events[1]).toEqual({
      type: 'PUT', revision: 2, key: '/w/a', created: false,
      kv: {key: '/w/a', value: 'a2', createRevision: 1, modRevision: 2},
      prevKv: {key: '/w/a', value: 'a1', createRevision: 1, modRevision: 1},
    })
    // DELETE: kv is the deleted value at the deletion revision; prevKv keeps its last write revision.
    expect(events[2]).toEqual({
      type: 'DELETE', revision: 4, key: '/w/a', created: false,
      kv: {key: '/w/a', value: 'a2', createRevision: 1, modRevision: 4},
      prevKv: {key: '/w/a', value: 'a2', createRevision: 1, modRevision: 2},
    })
  })

  it('replays events after N and then delivers live events', async () => {
    for (let i = 0; i < 5; i++) await store.create(`/w/${i}`, String(i))
    const watch = store.watch('/w/', 3)
    const live = store.create('/w/live', 'x')
    const events = await take(watch.events, 3)
    await live
    expect(events.map((event) => event.revision)).toEqual([4, 5, 6])
    expect(events[2]?.key).toBe('/w/live')
    watch.close()
  })

  it('delivers every revision exactly once while writers run concurrently', async () => {
    const writers = async (worker: number) => {
      for (let i = 0; i < 40; i++) await store.create(`/c/${worker}/${i}`, 'v')
    }
    const running = Promise.all([0, 1, 2, 3].map(writers))
    // Start mid-stream so part of the sequence is history and part is live.
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    const watch = store.watch('/c/', 0)
    const events = await take(watch.events, 160)
    await running
    watch.close()
    expect(events.map((event) => event.revision)).toEqual(Array.from({length: 160}, (_, i) => i + 1))
  })

  it('throws CompactedError synchronously for a revision older than the compaction', async () => {
    for (let i = 0; i < 10; i++) await store.create(`/w/${i}`, 'v')
    await store.compact(6)
    expect(() => store.watch('/w/', 5)).toThrow(CompactedError)
    const watch = store.watch('/w/', 6)
    const events = await take(watch.events, 4)
    expect(events.map((event) => event.revision)).toEqual([7, 8, 9, 10])
    watch.close()
  })

  it('fails a replaying watcher with CompactedError when compaction overtakes it', async () => {
    for (let i = 0; i < 30; i++) await store.create(`/w/${i}`, 'v')
    const watch = store.watch('/w/', 0)
    const iterator = watch.events[Symbol.asyncIterator]()
    expect((await iterator.next()).value?.revision).toBe(1)
    await store.compact(20)
    const errors: unknown[] = []
    for (let i = 0; i < 30; i++) {
      const result = await iterator.next().catch((error: unknown) => (errors.push(error), {done: true}))
      if (result.done) break
    }
    expect(errors[0]).toBeInstanceOf(CompactedError)
  })

  it('ends the iterator promptly on close(), also while waiting', async () => {
    const watch = store.watch('/w/', 0)
    const iterator = watch.events[Symbol.asyncIterator]()
    const waiting = iterator.next()
    watch.close()
    await expect(waiting).resolves.toEqual({done: true, value: undefined})
    await store.create('/w/after', 'v')
    expect(await iterator.next()).toEqual({done: true, value: undefined})
    expect(store.stats().watchers).toBe(0)
  })

  it('ends every watcher when the store closes', async () => {
    const watch = store.watch('', 0)
    const consumed = (async () => {
      const seen: StoreEvent[] = []
      for await (const event of watch.events) seen.push(event)
      return seen
    })()
    await store.create('/x', 'v')
    await store.close()
    expect((await consumed).map((event) => event.key)).toEqual(['/x'])
  })

  it('fails a watcher that falls too far behind with WATCH_OVERFLOW while one that keeps up continues', async () => {
    await store.close()
    // Batches of 10 let the consuming watcher drain between commits; the idle one passes 50 pending.
    store = await openSqliteStore(join(dir, 'state.db'), {watchBufferLimit: 50, maxBatchSize: 10})
    const slow = store.watch('/w/', 0)
    const fast = store.watch('/w/', 0)
    const fastSeen = take(fast.events, 100)
    await Promise.all(Array.from({length: 100}, (_, i) => store.create(`/w/${i}`, 'v')))
    expect((await fastSeen).length).toBe(100)
    await expect(slow.events[Symbol.asyncIterator]().next()).rejects.toMatchObject({code: 'WATCH_OVERFLOW'})
    expect(store.stats().watchers).toBe(1)
    fast.close()
  })

  it('does not deliver events outside the prefix or at or below fromRevision', async () => {
    const watch = store.watch('/a/', store.revision())
    await store.create('/b/x', 'v')
    await store.create('/a/x', 'v')
    const [event] = await take(watch.events, 1)
    expect(event).toMatchObject({key: '/a/x', revision: 2})
    watch.close()
  })
})
