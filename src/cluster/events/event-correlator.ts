// client-go's EventCorrelator (tools/record/events_cache.go), in its order: aggregate similar events,
// then count repeats of the same event, then apply the spam filter. It is pure bookkeeping over
// bounded caches; the recorder does the writing.
import type {CoreEvent} from './event-object.js'
import {makeEvent, type EventNamer} from './event-object.js'
import {LruCache} from './lru-cache.js'
import {SpamFilter} from './spam-filter.js'

export interface CorrelatorOptions {
  /** Entries per cache (client-go: 4096). */
  maxCacheEntries: number
  /** Distinct messages for one (object, type, reason) before they are combined (client-go: 10). */
  aggregateMaxEvents: number
  /** Window in which those messages count as similar (client-go: 10 minutes). */
  aggregateIntervalMs: number
  spamBurst: number
  spamQps: number
}

export const DEFAULT_CORRELATOR_OPTIONS: CorrelatorOptions = {
  maxCacheEntries: 4096,
  aggregateMaxEvents: 10,
  aggregateIntervalMs: 600_000,
  spamBurst: 25,
  spamQps: 1 / 300,
}

export const COMBINED_PREFIX = '(combined from similar events): '

/** What to write: a new Event (create) or a repeat of a stored one (update count, lastTimestamp, message). */
export type Correlation = {skip: true} | {skip: false; event: CoreEvent; update: boolean}

interface AggregateRecord {
  messages: Set<string>
  lastMs: number
}

interface Observation {
  count: number
  firstTimestamp: string
  name: string
}

export class EventCorrelator {
  private readonly opts: CorrelatorOptions
  private readonly aggregates: LruCache<AggregateRecord>
  private readonly observations: LruCache<Observation>
  private readonly spam: SpamFilter

  constructor(
    private readonly namer: EventNamer,
    options: Partial<CorrelatorOptions> = {},
  ) {
    this.opts = {...DEFAULT_CORRELATOR_OPTIONS, ...options}
    this.aggregates = new LruCache(this.opts.maxCacheEntries)
    this.observations = new LruCache(this.opts.maxCacheEntries)
    this.spam = new SpamFilter({burst: this.opts.spamBurst, qps: this.opts.spamQps, maxEntries: this.opts.maxCacheEntries})
  }

  correlate(event: CoreEvent, now: Date): Correlation {
    const {event: aggregated, key} = this.aggregate(event, now)
    const observed = this.observe(aggregated, key)
    // Filtered repeats still counted above, so the next accepted write carries the true count.
    if (this.spam.filter(observed, now)) return {skip: true}
    return {skip: false, event: observed, update: observed.count > 1}
  }

  // EventAggregate: once enough distinct messages arrive for one (source, object, type, reason), they
  // all go to one event keyed without the message, carrying the latest message.
  private aggregate(event: CoreEvent, now: Date): {event: CoreEvent; key: string} {
    const aggregateKey = aggregateKeyOf(event)
    const nowMs = now.getTime()
    let record = this.aggregates.get(aggregateKey)
    if (!record || nowMs - record.lastMs > this.opts.aggregateIntervalMs) record = {messages: new Set(), lastMs: nowMs}
    record.messages.add(event.message)
    record.lastMs = nowMs
    this.aggregates.set(aggregateKey, record)
    if (record.messages.size < this.opts.aggregateMaxEvents) return {event, key: eventKeyOf(event)}
    // Keep the set from growing past the threshold (client-go pops an arbitrary member; we pop the oldest).
    record.messages.delete(record.messages.values().next().value!)
    const combined = makeEvent(
      {involvedObject: event.involvedObject, type: event.type, reason: event.reason, message: COMBINED_PREFIX + event.message, source: event.source},
      this.namer.nameFor(event.involvedObject.name, now),
      now,
    )
    return {event: combined, key: aggregateKey}
  }

  // eventObserve: a key seen before is the stored event again: same name and firstTimestamp, count + 1.
  private observe(event: CoreEvent, key: string): CoreEvent {
    const last = this.observations.get(key)
    const observed: CoreEvent = last ? {...event, metadata: {...event.metadata, name: last.name}, firstTimestamp: last.firstTimestamp, count: last.count + 1} : event
    this.observations.set(key, {count: observed.count, firstTimestamp: observed.firstTimestamp, name: observed.metadata.name})
    return observed
  }
}

const join = (parts: Array<string | undefined>) => parts.map((x) => x ?? '').join('\u0000')

/** getEventKey: everything that makes two events "the same event". */
export function eventKeyOf(e: CoreEvent): string {
  const o = e.involvedObject
  return join([e.source.component, e.source.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message])
}

/** EventAggregatorByReasonFunc: the event key without the message (and without fieldPath, as upstream). */
export function aggregateKeyOf(e: CoreEvent): string {
  const o = e.involvedObject
  return join([e.source.component, e.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance])
}
