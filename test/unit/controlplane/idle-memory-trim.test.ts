import {describe, expect, it} from 'vitest'
import {startIdleMemoryTrim} from '../../../src/cluster/controlplane/idle-memory-trim.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function makeGarbage(): number {
  let total = 0
  for (let i = 0; i < 200; i++) total += JSON.stringify(Array.from({length: 2000}, (_, j) => ({i, j, s: 'x'.repeat(20)}))).length
  return total
}

describe('idle memory trim', () => {
  it('collects a grown heap once requests have stopped', async () => {
    const trim = startIdleMemoryTrim({intervalMs: 20, quietMs: 50, slackBytes: 1})
    try {
      makeGarbage()
      await sleep(300)
      expect(trim.trims()).toBeGreaterThanOrEqual(1)
    } finally {
      trim.stop()
    }
  })

  it('leaves the heap alone while requests keep arriving', async () => {
    const trim = startIdleMemoryTrim({intervalMs: 20, quietMs: 1000, slackBytes: 1})
    try {
      for (let i = 0; i < 15; i++) {
        makeGarbage()
        // A request arrives just before the event loop is free again, whatever the machine's speed.
        trim.touch()
        await sleep(20)
      }
      expect(trim.trims()).toBe(0)
    } finally {
      trim.stop()
    }
  })
})
