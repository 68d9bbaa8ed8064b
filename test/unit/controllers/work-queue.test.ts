import {describe, expect, it} from 'vitest'
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
})
