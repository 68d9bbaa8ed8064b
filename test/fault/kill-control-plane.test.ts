// kill -9 of the control plane at seeded random points while several clients create, replace, patch
// and delete ConfigMaps, and three watchers follow them. After every restart on the same state dir:
// acknowledged writes are there exactly, unacknowledged ones whole or absent, resourceVersions only
// grow, and each watcher either resumes from its last revision without a gap or gets 410 and relists.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {pollUntil} from '../support/eventually.js'
import {startChildCluster, type ChildCluster} from './child-cluster.js'
import {configMapBody, contentProblem} from './configmap-content.js'
import {KillWriter} from './kill-writer.js'
import {ResumingWatcher} from './resuming-watcher.js'
import {seededRandom} from './seeded-random.js'
import {describe as describeWrite, WriteLedger} from './write-ledger.js'

const SEED = Number(process.env.FAULT_SEED ?? 20260406)
const KILLS = Number(process.env.FAULT_KILLS ?? 22)
const NAMESPACES = ['fault-0', 'fault-1', 'fault-2']
const WRITERS = 6
const OBJECTS_PER_WRITER = 4
/** Writes run this long (ms, seeded) before each kill. */
const RUN_MS = [150, 700] as const
/** The watcher that skips a restart, so it falls behind compaction and must get 410 and relist. */
const LAGGING = 2
// Small history and frequent compaction, so a watcher that misses a cycle is certain to be compacted past.
const COMPACT_KEEP = 150
const COMPACT_INTERVAL_MS = 100
const CHILD_ENV = {FAULT_COMPACT_KEEP: String(COMPACT_KEEP), FAULT_COMPACT_INTERVAL_MS: String(COMPACT_INTERVAL_MS), FAULT_BOOKMARK_MS: '500'}
/** Unwatched namespace for the writes that push history past the lagging watcher. */
const FILLER = 'fault-filler'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const configMaps = (namespace: string) => `/api/v1/namespaces/${namespace}/configmaps`

describe('kill -9 of the control plane during writes', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'kcluster-kill-'))
  let cluster: ChildCluster | undefined
  afterAll(async () => {
    await cluster?.stop()
    rmSync(stateDir, {recursive: true, force: true})
  })

  test(`keeps every acknowledged write, nothing half-applied, revisions monotonic and watches resumable over ${KILLS} kills`, async () => {
    const started = Date.now()
    const random = seededRandom(SEED)
    const ledger = new WriteLedger()
    cluster = await startChildCluster({stateDir, env: CHILD_ENV})
    for (const name of [...NAMESPACES, FILLER]) expect((await cluster.request('POST', '/api/v1/namespaces', {metadata: {name}})).status).toBe(201)
    const writers = Array.from({length: WRITERS}, (_, id) => new KillWriter(id, NAMESPACES[id % NAMESPACES.length]!, OBJECTS_PER_WRITER, seededRandom(SEED + id + 1), ledger))
    const watchers = NAMESPACES.map((namespace) => new ResumingWatcher({path: configMaps(namespace), check: contentProblem}))
    for (const watcher of watchers) await watcher.start(cluster)

    let writes = 0
    const restartMs: number[] = []
    for (let cycle = 0; cycle < KILLS; cycle++) {
      let stopped = false
      const runs = writers.map((writer) => writer.run(cluster!, () => stopped))
      await sleep(random.int(...RUN_MS))
      await cluster.kill9()
      stopped = true
      writes += (await Promise.all(runs)).reduce((a, b) => a + b, 0)
      for (const watcher of watchers) {
        watcher.disconnect()
        ledger.saw(watcher.lastRv)
      }
      const seenBeforeKill = ledger.maxSeen

      const restartedAt = Date.now()
      cluster = await startChildCluster({stateDir, env: CHILD_ENV})
      restartMs.push(Date.now() - restartedAt)
      await checkAfterRestart(cluster, cycle, seenBeforeKill)
    }

    async function checkAfterRestart(c: ChildCluster, cycle: number, seenBeforeKill: number): Promise<void> {
      for (const namespace of NAMESPACES) {
        const list = await c.request('GET', configMaps(namespace))
        expect(list.status).toBe(200)
        const listRv = Number(list.json.metadata.resourceVersion)
        if (listRv < seenBeforeKill) ledger.problems.push(`cycle ${cycle}: list of ${namespace} at ${listRv}, behind ${seenBeforeKill} seen before the kill`)
        const byName = new Map<string, any>((list.json.items as any[]).map((item) => [item.metadata.name, item]))
        for (const writer of writers.filter((w) => w.namespace === namespace)) writer.reconcile(byName)
        // A new write after the restart gets a revision above everything acknowledged or watched before.
        const marker = await c.request('POST', configMaps(namespace), configMapBody(`marker-${cycle}`, `c99-o${cycle}-s${cycle}`))
        expect(marker.status).toBe(201)
        const markerRv = Number(marker.json.metadata.resourceVersion)
        if (!(markerRv > seenBeforeKill)) ledger.problems.push(`cycle ${cycle}: first write after restart got ${markerRv}, not above ${seenBeforeKill}`)
        ledger.ack({namespace, name: `marker-${cycle}`, op: 'marker', rv: markerRv})
      }
      for (const [index, watcher] of watchers.entries()) {
        if (index === LAGGING && cycle % 2 === 0) continue
        if (index === LAGGING) await outrunCompaction(c, watcher.lastRv)
        watcher.resume(c)
        await convergeWatcher(c, watcher, NAMESPACES[index]!, cycle)
      }
    }

    // Makes sure the history after `rv` is compacted away, so the lagging watcher's resume gets 410:
    // enough writes elsewhere to pass the kept history, then a few compaction intervals.
    async function outrunCompaction(c: ChildCluster, rv: number): Promise<void> {
      const needed = rv + COMPACT_KEEP + 50 - ledger.maxSeen
      for (let done = 0; done < needed; done += 50) {
        const batch = Array.from({length: 50}, (_, i) => c.request('POST', configMaps(FILLER), {metadata: {generateName: 'f-'}, data: {n: String(done + i)}}))
        for (const reply of await Promise.all(batch)) {
          expect(reply.status).toBe(201)
          ledger.saw(Number(reply.json.metadata.resourceVersion))
        }
      }
      await sleep(3 * COMPACT_INTERVAL_MS)
    }

    // The watcher's cache must come to equal a fresh list, and it must have been handed every
    // acknowledged write of its namespace since the revision it is complete from.
    async function convergeWatcher(c: ChildCluster, watcher: ResumingWatcher, namespace: string, cycle: number): Promise<void> {
      let diff = ''
      const converged = await pollUntil(
        async () => {
          await watcher.idle()
          const list = await c.request('GET', configMaps(namespace))
          const listed = new Map<string, number>((list.json.items as any[]).map((i) => [i.metadata.name, Number(i.metadata.resourceVersion)]))
          diff = cacheDiff(watcher.cache, listed)
          return diff === '' && watcher.connected
        },
        `watcher of ${namespace} to converge`,
        10_000,
        25,
      ).catch(() => false)
      if (!converged) ledger.problems.push(`cycle ${cycle}: watcher of ${namespace} never matched the list (connected: ${watcher.connected}): ${diff}`)
      const missed = ledger.ackedIn(namespace, watcher.coveredFrom).filter((w) => !watcher.seen.has(w.rv))
      if (missed.length > 0) ledger.problems.push(`cycle ${cycle}: watcher of ${namespace} missed ${missed.map(describeWrite).join(', ')}`)
    }

    const watcherProblems = watchers.flatMap((w) => w.problems)
    const resumed = watchers.reduce((n, w) => n + w.resumes, 0)
    const gone = watchers.reduce((n, w) => n + w.gone, 0)
    process.stderr.write(
      `kill test: ${KILLS} kills in ${Date.now() - started} ms; ${writes} acknowledged client writes, ${ledger.unacked} unacknowledged (${ledger.unackedApplied} of them committed); ` +
        `restart ms min/max ${Math.min(...restartMs)}/${Math.max(...restartMs)}; watch resumes ${resumed}, of which 410 + relist ${gone}; last revision ${ledger.maxSeen}\n`,
    )
    expect([...ledger.problems, ...watcherProblems]).toEqual([])
    // The run must have exercised what it checks: lost answers, both watch recovery paths.
    expect(ledger.unacked).toBeGreaterThan(0)
    expect(gone).toBeGreaterThan(0)
    expect(resumed - gone).toBeGreaterThan(0)
  }, 180_000)
})

function cacheDiff(cache: Map<string, number>, listed: Map<string, number>): string {
  const out: string[] = []
  for (const [name, rv] of listed) if (cache.get(name) !== rv) out.push(`${name}: list ${rv}, watch ${cache.get(name) ?? 'absent'}`)
  for (const [name, rv] of cache) if (!listed.has(name)) out.push(`${name}: watch ${rv}, list absent`)
  return out.join('; ')
}
