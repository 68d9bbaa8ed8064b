// Scheduler throughput, end to end through the API: N pods wait Pending (every node cordoned), then
// all nodes are uncordoned at once and the time until every pod is bound is measured. Binding goes
// through pods/binding and each pod gets its Scheduled event, as always; the kubelets' pod sync is
// disabled so containers starting do not compete for the thread.
//   node --import tsx bench/scheduler-throughput.ts [--pods 10000] [--nodes 100] [--cpu-prof]
// (--cpu-prof writes the control plane's CPU profile to bench/profiles on exit)
import https from 'node:https'
import {startChildControlPlane} from './child-control-plane.js'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const PODS = arg('pods', 10_000)
const NODES = arg('nodes', 100)

const cp = await startChildControlPlane({SCALE_NODES: String(NODES), SCALE_NODE_MAX_PODS: String(Math.max(110, Math.ceil((PODS / NODES) * 1.1))), SCALE_DISABLE: 'pod-sync'}, {cpuProfile: process.argv.includes('--cpu-prof')})
const {port, tls, request} = cp

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({length: limit}, async () => {
    while (next < items.length) await fn(items[next++]!)
  }))
}

const nodes = (JSON.parse((await request('GET', '/api/v1/nodes')).body).items as Array<{metadata: {name: string}}>).map((n) => n.metadata.name)
const cordon = (unschedulable: boolean) =>
  inParallel(nodes, 16, async (name) => {
    const r = await request('PATCH', `/api/v1/nodes/${name}`, {spec: {unschedulable}}, 'application/merge-patch+json')
    if (r.status !== 200) throw new Error(`cordon ${name}: ${r.status} ${r.body}`)
  })
await cordon(true)
await inParallel(Array.from({length: PODS}, (_, i) => i), 16, async (i) => {
  const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: `p-${i}`}, spec: {containers: [{name: 'c', image: 'busybox'}]}}
  const r = await request('POST', '/api/v1/namespaces/default/pods', pod)
  if (r.status !== 201) throw new Error(`pod ${i}: ${r.status} ${r.body}`)
})
// Let every pod be tried once and its back-off run out, so the measurement starts from a queue of
// waiting pods, not from pods still arriving.
const pendingReported = async () => {
  const list = JSON.parse((await request('GET', '/api/v1/namespaces/default/pods')).body).items as any[]
  return list.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'PodScheduled' && c.status === 'False')).length
}
for (let i = 0; i < 600 && (await pendingReported()) < PODS; i++) await new Promise((r) => setTimeout(r, 500))
await new Promise((r) => setTimeout(r, 2000))

const bound = new Set<string>()
let done: () => void
const allBound = new Promise<void>((resolve) => (done = resolve))
let buffer = ''
const watch = https.request({host: '127.0.0.1', port, method: 'GET', path: '/api/v1/namespaces/default/pods?watch=true&resourceVersion=0', agent: new https.Agent(tls)}, (res) => {
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    buffer += chunk
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const ev = JSON.parse(buffer.slice(0, i))
      buffer = buffer.slice(i + 1)
      if (ev.object.spec?.nodeName) bound.add(ev.object.metadata.name)
    }
    if (bound.size >= PODS) done()
  })
})
watch.end()
await new Promise((r) => setTimeout(r, 1000))
const t0 = performance.now()
await cordon(false)
const timeout = new Promise<void>((resolve) => setTimeout(resolve, 300_000).unref())
await Promise.race([allBound, timeout])
const ms = performance.now() - t0
console.log(JSON.stringify({pods: PODS, nodes: NODES, bound: bound.size, allBoundMs: Math.round(ms), podsPerSecond: Math.round((bound.size / ms) * 1000)}))
watch.destroy()
await cp.stop()
