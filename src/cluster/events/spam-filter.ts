// client-go's EventSourceObjectSpamFilter: one token bucket per (source, object). A source may say 25
// things about an object at once, then one more every 5 minutes, which bounds the long tail of events
// about objects that stay unhealthy (a crash-looping pod's BackOff) without losing the first ones.
import type {CoreEvent} from './event-object.js'
import {LruCache} from './lru-cache.js'

export interface SpamFilterOptions {
  burst: number
  /** Tokens added per second. */
  qps: number
  maxEntries: number
}

interface Bucket {
  tokens: number
  lastMs: number
}

export class SpamFilter {
  private readonly buckets: LruCache<Bucket>

  constructor(private readonly opts: SpamFilterOptions) {
    this.buckets = new LruCache(opts.maxEntries)
  }

  /** True when the event should be dropped; otherwise takes one token from its bucket. */
  filter(event: CoreEvent, now: Date): boolean {
    const key = spamKey(event)
    const nowMs = now.getTime()
    const bucket = this.buckets.get(key) ?? {tokens: this.opts.burst, lastMs: nowMs}
    // A passive bucket: refill for the time elapsed since it was last looked at.
    const elapsedSeconds = Math.max(0, nowMs - bucket.lastMs) / 1000
    bucket.tokens = Math.min(this.opts.burst, bucket.tokens + elapsedSeconds * this.opts.qps)
    bucket.lastMs = nowMs
    // Refills in small steps add up to 0.99999...: a token due now must count as whole.
    const accepted = bucket.tokens >= 1 - 1e-9
    if (accepted) bucket.tokens = Math.max(0, bucket.tokens - 1)
    this.buckets.set(key, bucket)
    return !accepted
  }
}

/** getSpamKey: the source and the involved object, not the reason or message. */
export function spamKey(event: CoreEvent): string {
  const o = event.involvedObject
  return [event.source.component, event.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].map((x) => x ?? '').join('\u0000')
}
