// npm run bench [-- --quick] [-- --json]: the figures kcluster promises, measured on this machine.
// Each figure is the median of several runs; where a baseline makes sense it is measured in the same run.
import {kcluster, tempHome, timed, stats, rssMiB, clusterClient, run} from './lib.mjs'
import {cpus, totalmem} from 'node:os'

const quick = process.argv.includes('--quick')
const asJson = process.argv.includes('--json')
const records = []
const record = (name, unit, value, extra = {}) => {
  records.push({name, unit, value: Math.round(value * 100) / 100, ...extra})
  if (!asJson) console.log(`${name.padEnd(52)} ${String(Math.round(value * 100) / 100).padStart(10)} ${unit}${extra.note ? `  (${extra.note})` : ''}`)
}

const RUNS = quick ? 3 : 5
const PODS = quick ? 2000 : 5000

const {env, cleanup} = tempHome()
try {
  // Baseline: the CLI's own start-up (node + oclif), measured in the same run as `start`.
  const cliBaseline = stats(Array.from({length: RUNS}, () => timed(() => kcluster(['--version'], env)).ms))
  record('cli baseline: kcluster --version', 'ms', cliBaseline.median)

  const cold = []
  const warm = []
  for (let i = 0; i < RUNS; i++) {
    const name = `bench-${i}`
    cold.push(timed(() => kcluster(['start', '--name', name, '--driver', 'sim'], env)).ms)
    kcluster(['stop', '--name', name], env)
    warm.push(timed(() => kcluster(['start', '--name', name, '--driver', 'sim'], env)).ms)
    if (i > 0) kcluster(['delete', '--name', name], env)
  }
  const coldS = stats(cold)
  const warmS = stats(warm)
  record('start to node Ready, cold (new cluster)', 'ms', coldS.median, {min: coldS.min, max: coldS.max, note: `${(coldS.median / cliBaseline.median).toFixed(1)}x cli baseline`})
  record('start to node Ready, warm (existing state)', 'ms', warmS.median, {min: warmS.min, max: warmS.max, note: `${(warmS.median / cliBaseline.median).toFixed(1)}x cli baseline`})

  const home = env.KCLUSTER_HOME
  const client = clusterClient(home, 'bench-0')
  await new Promise((r) => setTimeout(r, 3000))
  record('control-plane RSS at idle', 'MiB', rssMiB(client.pid))

  // Watch delivery: 10 watchers on configmaps; latency from sending a create to each watcher's event.
  const sentAt = new Map()
  const delivery = []
  const stops = []
  for (let w = 0; w < 10; w++)
    stops.push(client.watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0', (line) => {
      const ev = JSON.parse(line)
      const t = sentAt.get(ev.object.metadata.name)
      if (t && ev.type === 'ADDED') delivery.push(Number(process.hrtime.bigint() - t) / 1e6)
    }))
  await new Promise((r) => setTimeout(r, 500))
  for (let i = 0; i < 300; i++) {
    const name = `w-${i}`
    sentAt.set(name, process.hrtime.bigint())
    await client.request('POST', '/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {a: '1'}})
  }
  await new Promise((r) => setTimeout(r, 1000))
  stops.forEach((s) => s())
  const d = stats(delivery)
  record('watch delivery p50 (create sent -> event, 10 watchers)', 'ms', d.p50, {samples: d.n})
  record('watch delivery p99 (create sent -> event, 10 watchers)', 'ms', d.p99, {samples: d.n})

  // Pod creates from 8 concurrent clients.
  const latencies = []
  let next = 0
  const t0 = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: 8}, async () => {
      while (next < PODS) {
        const i = next++
        const s = process.hrtime.bigint()
        const r = await client.request('POST', '/api/v1/namespaces/default/pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: `p-${i}`}, spec: {containers: [{name: 'c', image: 'busybox'}]}})
        if (r.status !== 201) throw new Error(`create pod: ${r.status} ${r.body}`)
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6)
      }
    }),
  )
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9
  const l = stats(latencies)
  record(`create pod p50 (${PODS} pods, 8 clients)`, 'ms', l.p50)
  record(`create pod p99 (${PODS} pods, 8 clients)`, 'ms', l.p99)
  record(`creates per second (${PODS} pods, 8 clients)`, '/s', PODS / elapsed)
  await new Promise((r) => setTimeout(r, 5000))
  record(`control-plane RSS with ${PODS} pods`, 'MiB', rssMiB(client.pid))

  const kubeEnv = {...env}
  const baseline = stats(Array.from({length: RUNS}, () => timed(() => run('kubectl', ['--context', 'bench-0', 'get', 'namespaces'], kubeEnv)).ms))
  const getPods = stats(Array.from({length: RUNS}, () => timed(() => run('kubectl', ['--context', 'bench-0', 'get', 'pods'], kubeEnv)).ms))
  record('kubectl get namespaces (baseline)', 'ms', baseline.median)
  record(`kubectl get pods over ${PODS} pods`, 'ms', getPods.median, {note: `${(getPods.median / baseline.median).toFixed(1)}x baseline`})
  client.close()
  kcluster(['delete', '--name', 'bench-0'], env)
} finally {
  cleanup()
}

const machine = {node: process.version, cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), cpuModel: cpus()[0]?.model}
if (asJson) console.log(JSON.stringify({machine, quick, records}, null, 2))
else console.log(`\nmachine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memGiB} GiB, node ${machine.node}${quick ? ' (quick mode)' : ''}`)
