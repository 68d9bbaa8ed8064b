import {describe, expect, it} from 'vitest'
import {COMBINED_PREFIX, EventCorrelator, aggregateKeyOf, eventKeyOf} from '../../../src/cluster/events/event-correlator.js'
import {EventNamer, makeEvent, type CoreEvent} from '../../../src/cluster/events/event-object.js'
import {SpamFilter} from '../../../src/cluster/events/spam-filter.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const at = (ms: number) => new Date(T0 + ms)
const namer = new EventNamer()

function ev(message: string, reason = 'BackOff', name = 'web', ms = 0): CoreEvent {
  const fields = {involvedObject: {kind: 'Pod', namespace: 'default', name, uid: `uid-${name}`, apiVersion: 'v1'}, type: 'Warning' as const, reason, message, source: {component: 'kubelet', host: 'n1'}}
  return makeEvent(fields, namer.nameFor(name, at(ms)), at(ms))
}

describe('EventCorrelator', () => {
  it('gives a repeated event the first occurrence name and firstTimestamp with the count raised', () => {
    const c = new EventCorrelator(new EventNamer())
    const first = c.correlate(ev('m'), at(0))
    const second = c.correlate(ev('m', 'BackOff', 'web', 5000), at(5000))
    if (first.skip || second.skip) throw new Error('unexpected skip')
    expect(first).toMatchObject({update: false, event: {count: 1}})
    expect(second.update).toBe(true)
    expect(second.event.metadata.name).toBe(first.event.metadata.name)
    expect(second.event.count).toBe(2)
    expect(second.event.firstTimestamp).toBe('2026-01-01T00:00:00Z')
    expect(second.event.lastTimestamp).toBe('2026-01-01T00:00:05Z')
  })

  it('combines the tenth distinct message within the interval, then keeps updating the combined event', () => {
    const c = new EventCorrelator(new EventNamer())
    const results = Array.from({length: 11}, (_, i) => c.correlate(ev(`m${i + 1}`, 'BackOff', 'web', i * 1000), at(i * 1000)))
    const written = results.map((r) => (r.skip ? undefined : r))
    expect(written.slice(0, 9).every((r) => r && !r.update && !r.event.message.startsWith(COMBINED_PREFIX))).toBe(true)
    expect(written[9]?.event).toMatchObject({message: `${COMBINED_PREFIX}m10`, count: 1})
    expect(written[10]?.update).toBe(true)
    expect(written[10]?.event).toMatchObject({message: `${COMBINED_PREFIX}m11`, count: 2, metadata: {name: written[9]!.event.metadata.name}})
  })

  it('does not combine messages spread wider than the aggregation interval', () => {
    const c = new EventCorrelator(new EventNamer())
    const elevenMinutes = 11 * 60_000
    for (let i = 0; i < 12; i++) {
      const r = c.correlate(ev(`m${i}`, 'BackOff', 'web', i * elevenMinutes), at(i * elevenMinutes))
      expect(!r.skip && r.event.message).toBe(`m${i}`)
    }
  })

  it('keys aggregation without the message and identity with it', () => {
    expect(aggregateKeyOf(ev('a'))).toBe(aggregateKeyOf(ev('b')))
    expect(eventKeyOf(ev('a'))).not.toBe(eventKeyOf(ev('b')))
    expect(aggregateKeyOf(ev('a', 'BackOff'))).not.toBe(aggregateKeyOf(ev('a', 'Failed')))
  })
})

describe('SpamFilter', () => {
  it('lets a burst through per source and object, then one per refill period', () => {
    const f = new SpamFilter({burst: 3, qps: 1 / 300, maxEntries: 100})
    const accepted = (e: CoreEvent, ms: number) => !f.filter(e, at(ms))
    expect([1, 2, 3, 4].map((i) => accepted(ev(`m${i}`, `R${i}`), 0))).toEqual([true, true, true, false])
    // Another object from the same source has its own bucket.
    expect(accepted(ev('m', 'R', 'other'), 0)).toBe(true)
    expect(accepted(ev('m5', 'R5'), 299_000)).toBe(false)
    expect(accepted(ev('m6', 'R6'), 300_000)).toBe(true)
    expect(accepted(ev('m7', 'R7'), 300_001)).toBe(false)
  })
})
