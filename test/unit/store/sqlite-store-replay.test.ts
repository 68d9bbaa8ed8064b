// History replay reads an update's previous value back from the log row it was written at, since it
// is stored once.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {openSqliteStore, type SqliteStore} from '../../../src/cluster/store/sqlite-store.js'
import type {StoreEvent} from '../../../src/cluster/store/store.js'

let dir: string
let store: SqliteStore

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcluster-replay-'))
  store = await openSqliteStore(join(dir, 'state.db'))
})

afterEach(async () => {
  await store.close()
  await rm(dir, {recursive: true, force: true})
})

async function replay(from: number, count: number): Promise<StoreEvent[]> {
  const watch = store.watch('/k/', from)
  const events: StoreEvent[] = []
  for await (const e of watch.events) {
    events.push(e)
    if (events.length === count) break
  }
  watch.close()
  return events
}

describe('SqliteStore history replay', () => {
  it('gives a replayed update the previous value and a replayed delete the deleted value', async () => {
    const a = await store.create('/k/a', 'v1')
    const b = await store.update('/k/a', 'v2', a.modRevision)
    await store.delete('/k/a', b.modRevision)
    const [created, updated, deleted] = await replay(0, 3)
    expect(created).toMatchObject({type: 'PUT', created: true})
    expect(created.prevKv).toBeUndefined()
    expect(updated).toMatchObject({type: 'PUT', created: false, kv: {value: 'v2'}, prevKv: {value: 'v1', modRevision: a.modRevision}})
    expect(deleted).toMatchObject({type: 'DELETE', kv: {value: 'v2'}, prevKv: {value: 'v2', modRevision: b.modRevision}})
  })

  it('replays an update whose previous row was compacted as a non-create without prevKv', async () => {
    const a = await store.create('/k/a', 'v1')
    const b = await store.update('/k/a', 'v2', a.modRevision)
    await store.compact(a.modRevision)
    const [updated] = await replay(a.modRevision, 1)
    expect(updated).toMatchObject({type: 'PUT', created: false, revision: b.modRevision, kv: {value: 'v2'}})
    expect(updated.prevKv).toBeUndefined()
  })
})
