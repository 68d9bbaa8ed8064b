import {afterEach, describe, expect, it, vi} from 'vitest'
import {WorkQueue} from '../../../src/cluster/controllers/work-queue.js'

describe('WorkQueue', () => {
  it('hands out a key queued several times once', async () => {
    const q = new WorkQueue()
    q.add('a')
    q.add('a')
    q.add('b')
    expect(await q.get()).toBe('a')
    expect(await q.get()).toBe('b')
    expect(q.length).toBe(0)
  })

  it('re-queues a key added while it is being processed, after done()', async () => {
    const q = new WorkQueue()
    q.add('a')
    const key = await q.get()
    q.add('a')
    expect(q.length).toBe(0)
    q.done(key!)
    expect(await q.get()).toBe('a')
  })

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new WorkQueue()
    const waiting = q.get()
    q.add('late')
    expect(await waiting).toBe('late')
  })

  it('stops handing out keys at shutdown even when some are still queued', async () => {
    const q = new WorkQueue()
    for (let i = 0; i < 100; i++) q.add(`k${i}`)
    const waiting = new WorkQueue()
    const idle = waiting.get()
    q.shutDown()
    waiting.shutDown()
    expect(await q.get()).toBeUndefined()
    expect(await idle).toBeUndefined()
    q.add('after')
    expect(await q.get()).toBeUndefined()
  })

  it('hands out thousands of keys in FIFO order across its internal compaction, each once', async () => {
    const q = new WorkQueue()
    for (let i = 0; i < 5000; i++) q.add(`k${i}`)
    const seen: string[] = []
    for (let i = 0; i < 3000; i++) {
      const key = (await q.get())!
      seen.push(key)
      q.done(key)
    }
    for (let i = 5000; i < 6000; i++) q.add(`k${i}`)
    q.add('k4999')
    expect(q.length).toBe(3000)
    while (q.length > 0) {
      const key = (await q.get())!
      seen.push(key)
      q.done(key)
    }
    expect(seen).toEqual(Array.from({length: 6000}, (_, i) => `k${i}`))
  })
  describe('long delays', () => {
    afterEach(() => vi.useRealTimers())

    it('adds keys delayed by a minute or more at the next whole second, each once, sharing one timer per second', async () => {
      vi.useFakeTimers({now: new Date('2026-01-01T00:00:00.300Z')})
      const q = new WorkQueue()
      const now = Date.now()
      for (let i = 0; i < 1000; i++) q.addAfter(`ev-${i}`, 3_600_000, now)
      q.addAfter('ev-0', 3_600_000, now)
      q.addAfter('soon', 100, now)
      expect(vi.getTimerCount()).toBe(2)
      await vi.advanceTimersByTimeAsync(100)
      expect(q.length).toBe(1)
      // 0.3 s past the second: the hour ends at the next whole second, 0.7 s later than asked.
      await vi.advanceTimersByTimeAsync(3_600_000 - 100)
      expect(q.length).toBe(1)
      await vi.advanceTimersByTimeAsync(700)
      expect(q.length).toBe(1001)
      q.shutDown()
    })
  })
})
