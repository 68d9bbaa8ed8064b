// Issue 3's scale figure, measured: N Deployments x R replicas in one namespace, time until every pod is
// created, scheduled and Running, and the control plane's peak RSS (VmHWM). The control plane runs in a
// child process (bench/scale-control-plane.ts) started from the sources with tsx.
//   node --import tsx bench/scale.ts [--deployments 100] [--replicas 100] [--nodes 100] [--cpu-prof]
// --nodes N starts the cluster with N simulated nodes (kubelets in the control plane), each admitting
// 110 pods or enough for an even share plus 10%, whichever is more.
import {readFileSync} from 'node:fs'
import https from 'node:https'
import {startChildControlPlane} from './child-control-plane.js'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const DEPLOYMENTS = arg('deployments', 100)
const REPLICAS = arg('replicas', 100)
const NODES = arg('nodes', 100)
const TIMEOUT_MS = arg('timeout', 180) * 1000
const TOTAL = DEPLOYMENTS * REPLICAS
const profile = process.argv.includes('--cpu-prof')

const cp = await startChildControlPlane({SCALE_NODE_MAX_PODS: String(Math.max(110, Math.ceil((TOTAL / NODES) * 1.1))), SCALE_NODES: String(NODES)}, {cpuProfile: profile})
const {port, tls, request} = cp

// CPU time the control plane used (user + system), in seconds: less sensitive than wall time to other
// load on the machine. Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${cp.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
const cpuAtStart = cpuSeconds()
const memory = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${cp.pid}/status`, 'utf8'))![1]) / 1024
const t0 = performance.now()
const since = () => Math.round(performance.now() - t0)

// Pod state from one watch: scheduled = has spec.nodeName, running = phase Running.
const scheduled = new Set<string>()
const running = new Set<string>()
const marks: Record<string, number> = {}
let buffer = ''
const watchReq = https.request({host: '127.0.0.1', port, method: 'GET', path: '/api/v1/namespaces/default/pods?watch=true&resourceVersion=0', agent: new https.Agent(tls)}, (res) => {
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    buffer += chunk
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const ev = JSON.parse(buffer.slice(0, i))
      buffer = buffer.slice(i + 1)
      const name = ev.object.metadata.name
      if (ev.type === 'DELETED') continue
      if (ev.object.spec?.nodeName) scheduled.add(name)
      if (ev.object.status?.phase === 'Running') running.add(name)
    }
    if (marks.scheduled === undefined && scheduled.size >= TOTAL) marks.scheduled = since()
    if (marks.running === undefined && running.size >= TOTAL) marks.running = since()
  })
})
watchReq.end()

const createStart = performance.now()
await Promise.all(
  Array.from({length: DEPLOYMENTS}, async (_, d) => {
    const name = `scale-${d}`
    const body = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name},
      spec: {replicas: REPLICAS, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'c', image: 'busybox'}]}}},
    }
    const r = await request('POST', '/apis/apps/v1/namespaces/default/deployments', body)
    if (r.status !== 201) throw new Error(`deployment ${name}: ${r.status} ${r.body}`)
  }),
)
marks.deploymentsCreated = Math.round(performance.now() - createStart)
let peak = 0
const deadline = Date.now() + TIMEOUT_MS
const target = 'running'
for (let tick = 0; marks[target] === undefined && Date.now() < deadline; tick++) {
  await new Promise((r) => setTimeout(r, 250))
  peak = Math.max(peak, memory('VmRSS'))
  if (tick % 4 === 0) {
    process.stderr.write(`${since()} ms: scheduled ${scheduled.size}, running ${running.size}, rss ${Math.round(memory('VmRSS'))} MiB\n`)
  }
}
const result = {
  deployments: DEPLOYMENTS,
  replicas: REPLICAS,
  nodes: NODES,
  deploymentsCreatedMs: marks.deploymentsCreated,
  // From the first Deployment create.
  allScheduledMs: marks.scheduled === undefined ? null : marks.scheduled - Math.round(createStart - t0),
  allRunningMs: marks.running === undefined ? null : marks.running - Math.round(createStart - t0),
  scheduledPerSecond: marks.scheduled === undefined ? null : Math.round(TOTAL / ((marks.scheduled - (createStart - t0)) / 1000)),
  sampledPeakRssMiB: Math.round(peak),
  peakRssMiB: Math.round(memory('VmHWM')),
  controlPlaneCpuS: Math.round((cpuSeconds() - cpuAtStart) * 10) / 10,
  finalScheduled: scheduled.size,
  finalRunning: running.size,
}
console.log(JSON.stringify(result))
watchReq.destroy()
await cp.stop()
