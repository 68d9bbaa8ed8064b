import {describe, expect, it} from 'vitest'
import {parseDuration} from '../../../src/cluster/lifecycle/duration.js'

describe('parseDuration', () => {
  it('reads Go-style durations and bare seconds', () => {
    expect(parseDuration('30s')).toBe(30_000)
    expect(parseDuration('2m')).toBe(120_000)
    expect(parseDuration('1m30s')).toBe(90_000)
    expect(parseDuration('500ms')).toBe(500)
    expect(parseDuration('1.5h')).toBe(5_400_000)
    expect(parseDuration('45')).toBe(45_000)
  })

  it('rejects text that is not a duration, with an example of one', () => {
    for (const bad of ['', 'soon', '10x', '5m garbage', '-1s']) {
      expect(() => parseDuration(bad)).toThrow(expect.objectContaining({code: 'InvalidInput', fix: expect.stringContaining('30s')}))
    }
  })
})
