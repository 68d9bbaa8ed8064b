// Durable writes: kcluster's store (dist/cluster/store, SQLite WAL with synchronous=FULL, opened
// in-process as the control plane does) against Debian's etcd-server through its v3 HTTP/JSON gateway,
// in the same run, on the same filesystem, with the same keys (about 40 bytes), values (1 KiB) and
// concurrency. Every write is a new key: a kcluster create, an etcd put. Both acknowledge a write
// only once it is fsynced. kcluster's figure has no network hop; etcd's includes its gateway's
// HTTP round trip (its read latency, no disk write, is reported to size that part).
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {drive} from './drive.mjs'
import {ensureEtcd, startEtcd} from './etcd.mjs'
import {stats} from './lib.mjs'
import {openSqliteStore} from '../dist/cluster/store/sqlite-store.js'

const CONCURRENCY = [1, 8, 32]
const VALUE = 'v'.repeat(1024)
const key = (run, concurrency, i) => `/registry/configmaps/bench/k-${run}-${concurrency}-${String(i).padStart(6, '0')}`

export async function storeFigures({report, runs, writes}) {
  const baseDir = mkdtempSync(join(tmpdir(), 'kcluster-bench-store-'))
  const etcdBin = ensureEtcd()
  if (etcdBin.installedMs !== undefined) report.record('etcd-server installed with apt-get (once per machine)', 'ms', etcdBin.installedMs)
  if (etcdBin.skip) report.skip('etcd figures', etcdBin.skip)
  let etcd
  const kstore = await openSqliteStore(join(baseDir, 'kcluster', 'state.db'))
  try {
    if (!etcdBin.skip) etcd = await startEtcd(etcdBin.bin, baseDir)
    const results = {kcluster: new Map(), etcd: new Map()}
    const push = (m, k, v) => (m.get(k) ?? m.set(k, []).get(k)).push(v)
    for (let run = 0; run < runs; run++) {
      for (const c of CONCURRENCY) {
        push(results.kcluster, c, await drive(writes, c, (i) => kstore.create(key(run, c, i), VALUE)))
        if (etcd) push(results.etcd, c, await drive(writes, c, (i) => etcd.put(key(run, c, i), VALUE)))
      }
      if (etcd) push(results.etcd, 'read', await drive(Math.min(writes, 300), 1, (i) => etcd.get(key(run, 1, i))))
    }
    const med = (xs) => stats(xs).median
    for (const c of CONCURRENCY) {
      const writers = `${c} writer${c > 1 ? 's' : ''}`
      const k = results.kcluster.get(c)
      const kRate = k.map((x) => x.perSecond)
      const kP99 = k.map((x) => x.p99)
      const note = `${writes} new 1 KiB values per run`
      report.record(`store kcluster durable writes/s (${writers})`, '/s', kRate, {note})
      report.record(`store kcluster commit latency p99 (${writers})`, 'ms', kP99, {note: `p50 ${med(k.map((x) => x.p50)).toFixed(2)} ms`})
      if (!etcd) continue
      const e = results.etcd.get(c)
      const eRate = e.map((x) => x.perSecond)
      const eP99 = e.map((x) => x.p99)
      report.record(`store etcd ${etcd.version} durable writes/s (${writers})`, '/s', eRate, {note})
      report.record(`store etcd ${etcd.version} commit latency p99 (${writers})`, 'ms', eP99, {note: `p50 ${med(e.map((x) => x.p50)).toFixed(2)} ms`})
      report.record(`store ratio kcluster/etcd writes/s (${writers})`, 'x', med(kRate) / med(eRate), {note: 'above 1: kcluster writes faster'})
      report.record(`store ratio kcluster/etcd p99 latency (${writers})`, 'x', med(kP99) / med(eP99), {note: 'below 1: kcluster commits sooner'})
    }
    if (etcd) {
      const reads = results.etcd.get('read')
      report.record(`store etcd ${etcd.version} read p50 via the gateway (1 reader)`, 'ms', reads.map((x) => x.p50), {note: 'the HTTP + gateway + raft share of each etcd write, no disk write'})
    }
  } finally {
    await kstore.close()
    await etcd?.stop()
    rmSync(baseDir, {recursive: true, force: true})
  }
}
