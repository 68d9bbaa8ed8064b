// Issue 5's figures: requests per second and p99 through a ClusterIP and through a NodePort, each
// against the same pod reached directly by its IP in the same run, and the cluster DNS's answer p99.
// The backend is a keep-alive Node server in a pod and the load comes from Node too (bench/net/), so
// the path is what is measured, not busybox httpd's fork per connection. Node runs in pods as
// kcluster-net does: the pause image with the host's node binary and its libraries mounted read-only.
// From inside a pod: direct vs ClusterIP, and DNS. From the host: direct vs NodePort (a NodePort is
// on 127.0.0.1, which pods cannot reach) and ClusterIP (the host is on the cluster's bridge).
import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {REPO, kcluster, clusterClient, stats} from './lib.mjs'
import {sharedLibraries} from '../dist/cluster/runtime/docker/net-container.js'
import {PAUSE_IMAGE} from '../dist/cluster/runtime/docker/pause-image.js'

const NODE_IN_POD = '/usr/local/bin/node'
// 16 clients saturate this machine's cores (load, proxy and backend share them): the throughput ratio.
// One client leaves cores idle: the ratio then shows the latency a proxy hop adds.
const MODES = [
  {mode: '16 clients, keep-alive', keepAlive: true, concurrency: 16},
  {mode: '16 clients, a connection per request', keepAlive: false, concurrency: 16},
  {mode: '1 client, keep-alive', keepAlive: true, concurrency: 1},
]

function runAsync(file, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, {maxBuffer: 16 << 20, ...opts}, (error, stdout, stderr) => (error ? reject(new Error(`${file} ${args.slice(0, 3).join(' ')}: ${stderr || error.message}`)) : resolve(stdout.trim())))
  })
}

/** A pod spec running `args` with the host's node, bench/net mounted at /bench. */
async function nodePodSpec(args) {
  const libraries = await sharedLibraries(process.execPath)
  const files = [[process.execPath, NODE_IN_POD], ...libraries.map((lib) => [lib, lib])]
  return {
    terminationGracePeriodSeconds: 1,
    containers: [{
      name: 'node',
      image: PAUSE_IMAGE,
      imagePullPolicy: 'Never',
      command: [NODE_IN_POD, ...args],
      ports: [{name: 'http', containerPort: 8080}],
      volumeMounts: [...files.map(([, to], i) => ({name: `f${i}`, mountPath: to, readOnly: true})), {name: 'bench', mountPath: '/bench', readOnly: true}],
    }],
    volumes: [...files.map(([from], i) => ({name: `f${i}`, hostPath: {path: from, type: 'File'}})), {name: 'bench', hostPath: {path: join(REPO, 'bench/net'), type: 'Directory'}}],
  }
}

async function until(what, fn, ms = 120_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`network bench: timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function networkFigures({env, quick, record}) {
  const name = 'net-bench'
  kcluster(['start', '--name', name, '--driver', 'docker'], env)
  const c = clusterClient(env.KCLUSTER_HOME, name)
  try {
    const post = async (path, body) => {
      const r = await c.request('POST', path, body)
      if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.body}`)
    }
    const get = async (path) => JSON.parse((await c.request('GET', path)).body)
    await post('/api/v1/namespaces/default/pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'echo', labels: {app: 'echo'}}, spec: await nodePodSpec(['/bench/echo-server.mjs'])})
    await post('/api/v1/namespaces/default/pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'loader'}, spec: await nodePodSpec(['-e', 'setInterval(() => {}, 1 << 30)'])})
    await post('/api/v1/namespaces/default/services', {apiVersion: 'v1', kind: 'Service', metadata: {name: 'echo'}, spec: {selector: {app: 'echo'}, ports: [{port: 80, targetPort: 'http'}]}})
    await post('/api/v1/namespaces/default/services', {apiVersion: 'v1', kind: 'Service', metadata: {name: 'echo-np'}, spec: {type: 'NodePort', selector: {app: 'echo'}, ports: [{port: 80, targetPort: 'http'}]}})
    const podIP = await until('the echo pod Running', async () => {
      const pod = await get('/api/v1/namespaces/default/pods/echo')
      return pod.status?.phase === 'Running' && pod.status.podIP
    })
    await until('the loader pod Running', async () => (await get('/api/v1/namespaces/default/pods/loader')).status?.phase === 'Running')
    const clusterIP = (await get('/api/v1/namespaces/default/services/echo')).spec.clusterIP
    const nodePort = (await get('/api/v1/namespaces/default/services/echo-np')).spec.ports[0].nodePort
    const dnsIP = (await get('/api/v1/namespaces/kube-system/services/kube-dns')).spec.clusterIP
    const loader = await runAsync('docker', ['ps', '-q', '--filter', `label=kcluster.io/cluster=${name}`, '--filter', 'label=kcluster.io/pod-name=loader', '--filter', 'label=kcluster.io/role=app'])
    const inPod = async (spec) => JSON.parse(await runAsync('docker', ['exec', loader, NODE_IN_POD, '/bench/load.mjs', JSON.stringify(spec)]))
    const onHost = async (spec) => JSON.parse(await runAsync(process.execPath, [join(REPO, 'bench/net/load.mjs'), JSON.stringify(spec)]))
    // Both ends answer before anything is timed (the Service's endpoints and kcluster-net follow the pod).
    await until('the ClusterIP and NodePort answering', async () => {
      const r = await onHost({http: [{name: 'svc', host: clusterIP, port: 80}, {name: 'np', host: '127.0.0.1', port: nodePort}], durationMs: 200, concurrency: 1, keepAlive: true}).catch(() => undefined)
      return r && r.svc.n > 0 && r.svc.errors === 0 && r.np.n > 0 && r.np.errors === 0
    }, 30_000)

    const rounds = quick ? 1 : 3
    const durationMs = quick ? 2000 : 3000
    const results = {}
    const add = (key, r) => (results[key] ??= []).push(r)
    for (let round = 0; round < rounds; round++) {
      for (const {mode, keepAlive, concurrency} of MODES) {
        const base = {durationMs, concurrency, keepAlive}
        const pod = await inPod({...base, http: [{name: 'direct', host: podIP, port: 8080}, {name: 'clusterIP', host: clusterIP, port: 80}]})
        for (const [k, r] of Object.entries(pod)) add(`pod|${mode}|${k}`, r)
        const host = await onHost({...base, http: [{name: 'direct', host: podIP, port: 8080}, {name: 'nodePort', host: '127.0.0.1', port: nodePort}, {name: 'clusterIP', host: clusterIP, port: 80}]})
        for (const [k, r] of Object.entries(host)) add(`host|${mode}|${k}`, r)
      }
      add('dns', (await inPod({dns: {server: dnsIP, name: 'echo.default.svc.cluster.local', count: quick ? 1000 : 3000}})).dns)
    }

    const median = (key, field) => stats(results[key].map((r) => r[field])).median
    const errors = (key) => results[key].reduce((n, r) => n + r.errors, 0)
    for (const from of ['pod', 'host']) {
      for (const {mode} of MODES) {
        const direct = median(`${from}|${mode}|direct`, 'rps')
        record(`network (${from}, ${mode}): direct pod IP`, 'req/s', direct, {p99ms: median(`${from}|${mode}|direct`, 'p99'), errors: errors(`${from}|${mode}|direct`), note: `p99 ${median(`${from}|${mode}|direct`, 'p99').toFixed(2)} ms`})
        for (const via of from === 'pod' ? ['clusterIP'] : ['nodePort', 'clusterIP']) {
          const key = `${from}|${mode}|${via}`
          const rps = median(key, 'rps')
          record(`network (${from}, ${mode}): via ${via === 'nodePort' ? 'NodePort 127.0.0.1' : 'ClusterIP'}`, 'req/s', rps, {
            p99ms: median(key, 'p99'),
            errors: errors(key),
            ratio: rps / direct,
            note: `${(rps / direct).toFixed(2)}x direct; p99 ${median(key, 'p99').toFixed(2)} ms; ${errors(key)} errors`,
          })
        }
      }
    }
    record('network: DNS answer p99 from a pod (UDP, A record of a Service)', 'ms', median('dns', 'p99'), {p50ms: median('dns', 'p50'), errors: results.dns.reduce((n, r) => n + r.errors, 0), note: `p50 ${median('dns', 'p50').toFixed(2)} ms; ${results.dns.reduce((n, r) => n + r.n, 0)} queries`})
  } finally {
    c.close()
    kcluster(['delete', '--name', name], env)
  }
}
