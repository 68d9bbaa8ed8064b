// Watch delivery latency: `watchers` watches (each on its own TLS connection) on one namespace's
// ConfigMaps; one client creates ConfigMaps one after another, and each watcher's ADDED event is timed
// from the moment its create was sent. The figure is the p99 over all deliveries of a run (every
// create x every watcher), median over runs with min/max.
import {expectStatus} from './drive.mjs'
import {stats} from './lib.mjs'

async function until(what, condition, ms) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`watch bench: ${what} within ${ms / 1000} s`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function watchFigures({client, report, watchers, runs, createsPerRun}) {
  const ns = 'bench-watch'
  const base = `/api/v1/namespaces/${ns}/configmaps`
  expectStatus('namespace', [201, 409], await client.request('POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}}))
  const sentAt = new Map()
  const received = new Map()
  let delivery = []
  const stops = Array.from({length: watchers}, () =>
    client.watch(`${base}?watch=true&resourceVersion=0`, (line) => {
      const at = performance.now()
      const ev = JSON.parse(line)
      if (ev.type !== 'ADDED') return
      const name = ev.object.metadata.name
      received.set(name, (received.get(name) ?? 0) + 1)
      const t = sentAt.get(name)
      if (t !== undefined) delivery.push(at - t)
    }),
  )
  try {
    // A sentinel every watcher must see proves all watches are established before anything is timed.
    expectStatus('sentinel', [201], await client.request('POST', base, {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'sentinel'}}))
    await until(`all ${watchers} watchers did not see the sentinel`, () => received.get('sentinel') === watchers, 20_000)
    const p50s = []
    const p99s = []
    const createMs = []
    let total = 0
    for (let run = 0; run < runs; run++) {
      delivery = []
      for (let i = 0; i < createsPerRun; i++) {
        const name = `w-${run}-${i}`
        const t0 = performance.now()
        sentAt.set(name, t0)
        expectStatus('create', [201], await client.request('POST', base, {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {a: '1'}}))
        createMs.push(performance.now() - t0)
      }
      const last = `w-${run}-${createsPerRun - 1}`
      await until(`every watcher did not get every event`, () => received.get(last) === watchers, 20_000)
      const s = stats(delivery)
      p50s.push(s.p50)
      p99s.push(s.p99)
      total += s.n
    }
    // Baseline: the create's own answer time in the same run (an event cannot precede its commit).
    const note = `${createsPerRun} creates x ${watchers} watchers per run, ${total} deliveries; the creates answered in p50 ${stats(createMs).p50.toFixed(2)} ms, p99 ${stats(createMs).p99.toFixed(2)} ms`
    report.record(`watch delivery p50 (create sent -> event, ${watchers} watchers)`, 'ms', p50s, {note})
    report.record(`watch delivery p99 (create sent -> event, ${watchers} watchers)`, 'ms', p99s, {note})
  } finally {
    stops.forEach((stop) => stop())
  }
}
