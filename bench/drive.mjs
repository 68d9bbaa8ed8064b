// Closed-loop load: `count` operations from `concurrency` clients, each client starting its next
// operation when the previous one answers. Bounded by count and by a deadline.
import {stats} from './lib.mjs'

/**
 * Runs op(i) for i in [0, count) with `concurrency` in flight. op resolves to anything; a rejection
 * fails the whole run. Returns per-operation latencies (ms) and the operations per second.
 */
export async function drive(count, concurrency, op, {deadlineMs = 120_000} = {}) {
  const latencies = []
  const deadline = Date.now() + deadlineMs
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({length: Math.min(concurrency, count)}, async () => {
      while (next < count) {
        if (Date.now() > deadline) throw new Error(`load did not finish ${count} operations within ${deadlineMs / 1000} s`)
        const i = next++
        const s = performance.now()
        await op(i)
        latencies.push(performance.now() - s)
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  const s = stats(latencies)
  return {perSecond: count / seconds, p50: s.p50, p99: s.p99, latencies}
}

/** An op that fails unless the response has one of `statuses`. */
export function expectStatus(what, statuses, r) {
  if (!statuses.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 300)}`)
  return r
}
