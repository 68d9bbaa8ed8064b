// 32 clients for LOAD_SECONDS (60 in CI) of mixed reads and writes on ConfigMaps and Pods of a
// simulated cluster, with 100 watchers open throughout. No unexpected answer, every watcher sees every
// write in its scope in order and ends equal to a fresh list, and once the load's objects are gone and
// the control plane has idled, its RSS, live heap and memory outside the V8 heap are back near baseline.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {pollUntil} from '../support/eventually.js'
import {startChildCluster, type ChildCluster} from './child-cluster.js'
import {contentProblem} from './configmap-content.js'
import {LoadClient, TIERS, type LoadStats} from './load-client.js'
import {ResumingWatcher} from './resuming-watcher.js'
import {seededRandom} from './seeded-random.js'

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60)
const SEED = Number(process.env.FAULT_SEED ?? 20260406)
const CLIENTS = 32
const WATCHERS = 100
const NAMESPACES = Array.from({length: 8}, (_, i) => `load-${i}`)
/**
 * Idle time after the load: the idle trim collects once requests have stopped and the event loop has
 * been quiet for 10 s (it looks every 5 s), so between 10 and 20 s after the last request.
 */
const IDLE_MS = Number(process.env.LOAD_IDLE_MS ?? 30_000)
/**
 * "Back to baseline", measured after the idle time: the live heap within 30 MiB, the memory outside the
 * V8 heap (RSS - heapTotal: SQLite, TLS, malloc arenas, code) within 40 MiB, and RSS itself within
 * 50 MiB, against a rise of about 280 MiB during the load. Measured: RSS 136 -> 424 -> 173 MiB and
 * 131 -> 313 -> 136 MiB; outside the heap +20-22 MiB (the store holds 34,000 more revisions).
 * RSS came back only once the idle trim compacted the heap: a plain full GC left V8 holding 250 MB of
 * pages for a 34 MiB live heap (RSS 301 MiB).
 */
const HEAP_SLACK_MIB = 30
const OUTSIDE_HEAP_SLACK_MIB = 40
const RSS_SLACK_MIB = 50

const mib = (kib: number) => Math.round(kib / 102.4) / 10
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Watcher i: a namespace, a resource and maybe a tier selector, spread evenly over the 100. */
function watcherScope(i: number): {namespace: string; resource: 'configmaps' | 'pods'; tier?: string} {
  const namespace = NAMESPACES[i % NAMESPACES.length]!
  const variant = Math.floor(i / NAMESPACES.length) % 6
  const resource = variant < 3 ? 'configmaps' : 'pods'
  const tier = variant % 3 === 0 ? undefined : TIERS[variant % 3 - 1]
  return {namespace, resource, tier}
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

describe('load: 32 clients and 100 watchers', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'kcluster-load-'))
  let cluster: ChildCluster | undefined
  afterAll(async () => {
    await cluster?.stop()
    rmSync(stateDir, {recursive: true, force: true})
  })

  test(`answers every request as expected, keeps every watcher current and brings its memory back to baseline after ${LOAD_SECONDS} s`, async () => {
    const c = (cluster = await startChildCluster({stateDir}))
    for (const name of NAMESPACES) expect((await c.request('POST', '/api/v1/namespaces', {metadata: {name}})).status).toBe(201)
    // Pods need the namespace's default ServiceAccount, which a controller creates.
    for (const ns of NAMESPACES) await pollUntil(async () => (await c.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200, `default ServiceAccount in ${ns}`, 10_000, 50)
    await sleep(2_000)
    const baselineKiB = c.rssKiB()
    const baseline = await c.memoryUsage()

    const scopes = Array.from({length: WATCHERS}, (_, i) => watcherScope(i))
    const watchers = scopes.map(
      (s) => new ResumingWatcher({path: `/api/v1/namespaces/${s.namespace}/${s.resource}`, labelSelector: s.tier ? `tier=${s.tier}` : undefined, check: contentProblem}),
    )
    await Promise.all(watchers.map((w) => w.start(c)))

    const stats: LoadStats = {requests: 0, raceRejections: 0, latenciesMs: [], problems: [], writes: []}
    const clients = Array.from({length: CLIENTS}, (_, id) => new LoadClient(id, NAMESPACES[id % NAMESPACES.length]!, seededRandom(SEED + id), stats))
    const loadStarted = Date.now()
    let peakKiB = baselineKiB
    const sampler = setInterval(() => (peakKiB = Math.max(peakKiB, c.rssKiB())), 500)
    await Promise.all(clients.map((client) => client.run(c, loadStarted + LOAD_SECONDS * 1000)))
    clearInterval(sampler)
    const loadMs = Date.now() - loadStarted
    const endKiB = c.rssKiB()
    const endHeap = (await c.memoryUsage()).heapUsed
    for (const client of clients) await client.cleanUp(c)

    // Every watcher converges on a fresh list of what it watches, and saw every write in its scope.
    const watchProblems: string[] = []
    for (const [i, watcher] of watchers.entries()) {
      const scope = scopes[i]!
      const query = scope.tier ? `?labelSelector=tier%3D${scope.tier}` : ''
      let diff = ''
      let latest = 0
      const ok = await pollUntil(
        async () => {
          const list = await c.request('GET', `${watcher.options.path}${query}`)
          const items = list.json.items as any[]
          diff = items.filter((o) => watcher.cache.get(o.metadata.name) !== Number(o.metadata.resourceVersion)).map((o) => o.metadata.name).join(',')
          if (watcher.cache.size !== items.length) diff += ` (${watcher.cache.size} cached, ${items.length} listed)`
          const inScope = stats.writes.filter((w) => w.namespace === scope.namespace && w.resource === scope.resource && (!scope.tier || w.tier === scope.tier))
          latest = Math.max(0, ...inScope.map((w) => w.rv), ...items.map((o) => Number(o.metadata.resourceVersion)))
          return diff === '' && watcher.lastRv >= latest
        },
        'watcher to converge',
        20_000,
        100,
      ).catch(() => false)
      if (!ok) watchProblems.push(`watcher ${i} (${watcher.options.path} ${scope.tier ?? ''}): last ${watcher.lastRv}, latest ${latest}, differs from list: ${diff}`)
      const missed = stats.writes.filter(
        (w) => w.namespace === scope.namespace && w.resource === scope.resource && (!scope.tier || w.tier === scope.tier) && w.rv > watcher.coveredFrom && !watcher.seen.has(w.rv),
      )
      if (missed.length > 0) watchProblems.push(`watcher ${i}: missed ${missed.length} writes, first ${JSON.stringify(missed[0])}`)
      if (watcher.resumes > 0 || watcher.gone > 0 || !watcher.connected) watchProblems.push(`watcher ${i}: disconnected during the load`)
      watchProblems.push(...watcher.problems)
    }
    for (const watcher of watchers) watcher.disconnect()

    // Idle: no requests, no watches; the RSS sampled each second.
    const idleSamples: number[] = []
    for (let waited = 0; waited < IDLE_MS; waited += 1_000) {
      await sleep(1_000)
      idleSamples.push(c.rssKiB())
    }
    const settledKiB = idleSamples.at(-1)!
    const settled = await c.memoryUsage()
    const outsideHeap = (usage: NodeJS.MemoryUsage) => mib((usage.rss - usage.heapTotal) / 1024)
    const sorted = [...stats.latenciesMs].sort((a, b) => a - b)
    const events = watchers.reduce((n, w) => n + w.events, 0)
    process.stderr.write(
      `load test: ${CLIENTS} clients ${loadMs} ms, ${stats.requests} requests (${Math.round(stats.requests / (loadMs / 1000))}/s), ` +
        `${stats.writes.length} writes, ${stats.raceRejections} expected 404/409, latency p50 ${percentile(sorted, 50).toFixed(1)} ms p99 ${percentile(sorted, 99).toFixed(1)} ms; ` +
        `${WATCHERS} watchers received ${events} events; RSS MiB baseline ${mib(baselineKiB)}, peak ${mib(peakKiB)}, end of load ${mib(endKiB)}, ` +
        `after ${IDLE_MS / 1000} s idle ${mib(settledKiB)} (samples ${idleSamples.map(mib).join(' ')}); ` +
        `heap used MiB baseline ${mib(baseline.heapUsed / 1024)}, end ${mib(endHeap / 1024)}, idle ${mib(settled.heapUsed / 1024)}; ` +
        `heapTotal ${mib(baseline.heapTotal / 1024)} -> ${mib(settled.heapTotal / 1024)}; outside the heap ${outsideHeap(baseline)} -> ${outsideHeap(settled)}\n`,
    )
    expect(stats.problems.slice(0, 20)).toEqual([])
    expect(watchProblems.slice(0, 20)).toEqual([])
    // The load did what it claims: writes in every watcher's scope and races that were refused.
    expect(stats.raceRejections).toBeGreaterThan(0)
    expect(watchers.every((w) => w.events > 0)).toBe(true)
    expect(mib(settled.heapUsed / 1024)).toBeLessThanOrEqual(mib(baseline.heapUsed / 1024) + HEAP_SLACK_MIB)
    expect(outsideHeap(settled)).toBeLessThanOrEqual(outsideHeap(baseline) + OUTSIDE_HEAP_SLACK_MIB)
    expect(mib(settledKiB)).toBeLessThanOrEqual(mib(baselineKiB) + RSS_SLACK_MIB)
  }, (LOAD_SECONDS + 150) * 1000)
})
