// API latency and throughput on ConfigMaps (API server + store only: no controller or agent acts on
// them), with 1, 8 and 32 concurrent clients on keep-alive HTTPS connections with the admin cert.
// Each run creates N ConfigMaps in a namespace of its own concurrency level, GETs each, LISTs the
// namespace with a label selector (the N, not its kube-root-ca.crt), merge-PATCHes each and DELETEs each; the baseline is GET /version (TLS, routing
// and authentication, no store) at the same concurrency in the same run.
import {drive, expectStatus} from './drive.mjs'
import {stats} from './lib.mjs'

const CONCURRENCY = [1, 8, 32]
const OPS = ['create', 'get', 'list', 'patch', 'delete']
// About 0.4 KiB of JSON per object as stored.
const PAYLOAD = 'x'.repeat(256)

function configMap(i) {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `api-${i}`, labels: {bench: 'api'}}, data: {index: String(i), payload: PAYLOAD}}
}

async function oneRun(client, ns, concurrency, n) {
  const base = `/api/v1/namespaces/${ns}/configmaps`
  const out = {}
  // Unmeasured warm-up: every client's keep-alive TLS connection is open before anything is timed.
  await drive(concurrency * 2, concurrency, async () => expectStatus('GET /version', [200], await client.request('GET', '/version')))
  out.baseline = await drive(n, concurrency, async () => expectStatus('GET /version', [200], await client.request('GET', '/version')))
  out.create = await drive(n, concurrency, async (i) => expectStatus('create', [201], await client.request('POST', base, configMap(i))))
  out.get = await drive(n, concurrency, async (i) => expectStatus('get', [200], await client.request('GET', `${base}/api-${i}`)))
  out.list = await drive(Math.max(concurrency, Math.ceil(n / 4)), concurrency, async () => {
    const r = expectStatus('list', [200], await client.request('GET', `${base}?labelSelector=bench%3Dapi`))
    const items = JSON.parse(r.body).items.length
    if (items !== n) throw new Error(`list ${base}: ${items} items, expected ${n}`)
  })
  out.patch = await drive(n, concurrency, async (i) =>
    expectStatus('patch', [200], await client.requestRaw('PATCH', `${base}/api-${i}`, JSON.stringify({data: {patched: 'yes'}}), 'application/merge-patch+json')),
  )
  out.delete = await drive(n, concurrency, async (i) => expectStatus('delete', [200, 202], await client.request('DELETE', `${base}/api-${i}`)))
  return out
}

/** `n` objects (at least 4 per client) per run and level, `runs` runs; figures are medians over runs with min/max. */
export async function apiFigures({client, report, runs, n}) {
  // At least 4 operations per client, so 32 clients are all busy for more than their first request.
  const count = (concurrency) => Math.max(n, concurrency * 4)
  for (const concurrency of CONCURRENCY) {
    const ns = `bench-api-${concurrency}`
    expectStatus('namespace', [201, 409], await client.request('POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}}))
  }
  const results = new Map()
  // Runs are interleaved across concurrency levels so a slow patch of the machine spreads over all.
  for (let run = 0; run < runs; run++) {
    for (const concurrency of CONCURRENCY) {
      const r = await oneRun(client, `bench-api-${concurrency}`, concurrency, count(concurrency))
      for (const [op, x] of Object.entries(r)) (results.get(`${op}|${concurrency}`) ?? results.set(`${op}|${concurrency}`, []).get(`${op}|${concurrency}`)).push(x)
    }
  }
  const per = (key, field) => results.get(key).map((x) => x[field])
  for (const concurrency of CONCURRENCY) {
    const clients = `${concurrency} client${concurrency > 1 ? 's' : ''}`
    const baseKey = `baseline|${concurrency}`
    const baseP50 = stats(per(baseKey, 'p50')).median
    const baseRate = stats(per(baseKey, 'perSecond')).median
    report.record(`api baseline GET /version p50 (${clients})`, 'ms', per(baseKey, 'p50'))
    report.record(`api baseline GET /version p99 (${clients})`, 'ms', per(baseKey, 'p99'))
    report.record(`api baseline GET /version throughput (${clients})`, 'req/s', per(baseKey, 'perSecond'))
    for (const op of OPS) {
      const key = `${op}|${concurrency}`
      const p50 = per(key, 'p50')
      const rate = per(key, 'perSecond')
      const label = op === 'list' ? `list of ${count(concurrency)}` : op
      report.record(`api configmap ${label} p50 (${clients})`, 'ms', p50, {note: `${(stats(p50).median / baseP50).toFixed(1)}x baseline`})
      report.record(`api configmap ${label} p99 (${clients})`, 'ms', per(key, 'p99'))
      report.record(`api configmap ${label} throughput (${clients})`, 'req/s', rate, {note: `${(stats(rate).median / baseRate).toFixed(2)}x baseline`})
    }
  }
}
