import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {compactOnce, startAutoCompaction} from '../../../src/cluster/store/auto-compaction.js'
import {openSqliteStore, type SqliteStore} from '../../../src/cluster/store/sqlite-store.js'
import type {Clock} from '../../../src/cluster/clock.js'

/** A clock whose sleeps finish only when the test calls tick(). */
function manualClock() {
  let sleepers: Array<() => void> = []
  const clock: Clock = {
    now: () => new Date(0),
    sleep: (_ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason)
        sleepers.push(resolve)
        signal?.addEventListener('abort', () => reject(signal.reason), {once: true})
      }),
  }
  const tick = async () => {
    const due = sleepers
    sleepers = []
    for (const wake of due) wake()
    // Let the loop run its compaction and reach its next sleep.
    for (let i = 0; i < 10 && sleepers.length === 0; i++) await new Promise((resolve) => setImmediate(resolve))
  }
  return {clock, tick}
}

let store: SqliteStore

beforeEach(async () => {
  store = await openSqliteStore(':memory:')
  for (let i = 0; i < 30; i++) await store.create(`/k/${i}`, 'v')
})

afterEach(async () => {
  await store.close()
})

describe('auto-compaction', () => {
  it('compacts to revision minus keepRevisions, and does nothing when already there', async () => {
    expect(await compactOnce(store, 10)).toBe(20)
    expect(store.compactRevision()).toBe(20)
    expect(await compactOnce(store, 10)).toBeUndefined()
    expect(await compactOnce(store, 100)).toBeUndefined()
    expect(store.compactRevision()).toBe(20)
  })

  it('compacts on every interval of the injected clock until stopped', async () => {
    const {clock, tick} = manualClock()
    const auto = startAutoCompaction(store, {keepRevisions: 5, intervalMs: 1000, clock})
    expect(store.compactRevision()).toBe(0)
    await tick()
    expect(store.compactRevision()).toBe(25)
    for (let i = 0; i < 5; i++) await store.create(`/more/${i}`, 'v')
    await tick()
    expect(store.compactRevision()).toBe(30)
    await auto.stop()
    for (let i = 0; i < 5; i++) await store.create(`/late/${i}`, 'v')
    await tick()
    expect(store.compactRevision()).toBe(30)
  })
})
