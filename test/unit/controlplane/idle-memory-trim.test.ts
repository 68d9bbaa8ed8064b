import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import {beforeEach, describe, expect, it} from 'vitest'
import {startIdleMemoryTrim} from '../../../src/cluster/controlplane/idle-memory-trim.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Heap growth the trim is sure to see: a test holds it while the trim looks. (Garbage dropped at once may
 * be gone before the first look, in a GC of V8's own, and the trim rightly does nothing.)
 */
function growHeap(): object[] {
  return Array.from({length: 300_000}, (_, i) => ({i, s: `x${i}`}))
}

/** Garbage that leaves one live object in twenty behind: a full GC frees little whole pages. */
function fragmentHeap(): object[] {
  const all = Array.from({length: 600_000}, (_, i) => ({i, s: `x${i}`}))
  return all.filter((_, i) => i % 20 === 0)
}

/** Keeps the event loop about 80% busy for ms, without any request. */
async function busyFor(ms: number): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const slice = Date.now() + 8
    while (Date.now() < slice);
    await sleep(2)
  }
}

describe('idle memory trim', () => {
  // The trim measures growth from the heap it finds at start: start each test from a collected heap,
  // not one holding the garbage of the test before (a GC of V8's own could then shrink it below that).
  beforeEach(() => {
    setFlagsFromString('--expose-gc')
    ;(runInNewContext('gc') as () => void)()
  })

  it('collects a grown heap once requests have stopped', async () => {
    const trim = startIdleMemoryTrim({intervalMs: 20, quietMs: 50, slackBytes: 1, busyUtilization: 0.6})
    try {
      const grown = growHeap()
      await sleep(600)
      expect(trim.trims()).toBeGreaterThanOrEqual(1)
      expect(grown).toHaveLength(300_000)
    } finally {
      trim.stop()
    }
  })

  it('leaves the heap alone while requests keep arriving', async () => {
    const trim = startIdleMemoryTrim({intervalMs: 20, quietMs: 1000, slackBytes: 1})
    try {
      for (let i = 0; i < 15; i++) {
        growHeap()
        // A request arrives just before the event loop is free again, whatever the machine's speed.
        trim.touch()
        await sleep(20)
      }
      expect(trim.trims()).toBe(0)
    } finally {
      trim.stop()
    }
  })

  it('compacts a heap that a full GC leaves mostly empty, keeping every live object', async () => {
    const trim = startIdleMemoryTrim({intervalMs: 20, quietMs: 50, slackBytes: 1, compactSlackBytes: 1, busyUtilization: 0.6})
    try {
      const kept = fragmentHeap()
      await sleep(600)
      expect(trim.compactions()).toBeGreaterThanOrEqual(1)
      expect(kept).toHaveLength(30_000)
      expect(kept.every((o, n) => (o as {i: number}).i === n * 20)).toBe(true)
    } finally {
      trim.stop()
    }
  })

  it('does not compact a live heap larger than it may copy', async () => {
    const trim = startIdleMemoryTrim({intervalMs: 20, quietMs: 50, slackBytes: 1, compactSlackBytes: 1, compactMaxLiveBytes: 1, busyUtilization: 0.6})
    try {
      const grown = growHeap()
      await sleep(600)
      expect(trim.trims()).toBeGreaterThanOrEqual(1)
      expect(trim.compactions()).toBe(0)
      expect(grown).toHaveLength(300_000)
    } finally {
      trim.stop()
    }
  })

  it('waits while the event loop is busy without requests (controllers at work), then trims', async () => {
    const trim = startIdleMemoryTrim({intervalMs: 50, quietMs: 150, slackBytes: 1, busyUtilization: 0.5})
    try {
      const grown = growHeap()
      await busyFor(600)
      expect(trim.trims()).toBe(0)
      await sleep(600)
      expect(trim.trims()).toBeGreaterThanOrEqual(1)
      expect(grown).toHaveLength(300_000)
    } finally {
      trim.stop()
    }
  })
})
