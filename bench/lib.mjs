// Shared pieces for the benchmarks: a throwaway cluster home, timing, stats, and a keep-alive
// HTTPS client with the cluster's admin certificate.
import {execFile, execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import https from 'node:https'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

export const REPO = resolve(import.meta.dirname, '..')
export const CLI = join(REPO, 'bin/run.js')

export function tempHome() {
  const base = mkdtempSync(join(tmpdir(), 'kcluster-bench-'))
  return {base, env: {...process.env, KCLUSTER_HOME: join(base, 'home'), KUBECONFIG: join(base, 'kubeconfig'), HOME: base, NO_COLOR: '1', CI: 'true'}, cleanup: () => rmSync(base, {recursive: true, force: true})}
}

export function timed(fn) {
  const t0 = process.hrtime.bigint()
  const result = fn()
  return {ms: Number(process.hrtime.bigint() - t0) / 1e6, result}
}

export function run(file, args, env) {
  const r = spawnSync(file, args, {env, encoding: 'utf8', timeout: 180_000})
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr || r.stdout}`)
  return r.stdout
}

export function kcluster(args, env) {
  return run(process.execPath, [CLI, ...args], env)
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b)
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  return {n: s.length, median: q(0.5), p50: q(0.5), p99: q(0.99), min: s[0], max: s[s.length - 1]}
}

/** The median proper: with an even count, the mean of the middle two (stats().median takes the upper). */
export function median(samples) {
  const s = [...samples].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024
}

export function clusterClient(home, name) {
  const dir = join(home, name)
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 64,
    ca: readFileSync(join(dir, 'pki/ca.crt')),
    cert: readFileSync(join(dir, 'pki/admin.crt')),
    key: readFileSync(join(dir, 'pki/admin.key')),
  })
  const pid = Number(readFileSync(join(dir, 'control-plane.pid'), 'utf8').trim())
  function request(method, path, body) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = https.request({host: '127.0.0.1', port: config.port, method, path, agent, headers: payload ? {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)} : {}}, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(chunks).toString()}))
      })
      req.on('error', reject)
      if (payload) req.write(payload)
      req.end()
    })
  }
  function requestRaw(method, path, payload, contentType) {
    return new Promise((resolve, reject) => {
      const req = https.request({host: '127.0.0.1', port: config.port, method, path, agent, headers: {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload)}}, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(chunks).toString()}))
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
  function watch(path, onLine) {
    const req = https.request({host: '127.0.0.1', port: config.port, method: 'GET', path, agent: new https.Agent({ca: agent.options.ca, cert: agent.options.cert, key: agent.options.key})}, (res) => {
      let buffer = ''
      res.on('data', (c) => {
        buffer += c
        let i
        while ((i = buffer.indexOf('\n')) >= 0) {
          onLine(buffer.slice(0, i))
          buffer = buffer.slice(i + 1)
        }
      })
    })
    req.end()
    return () => req.destroy()
  }
  return {port: config.port, pid, request, requestRaw, watch, close: () => agent.destroy()}
}

export function kubectlPath() {
  return execFileSync('sh', ['-c', 'command -v kubectl'], {encoding: 'utf8'}).trim()
}

/** `count` POSTs from 8 concurrent clients; each must answer 201. Latency percentiles and rate. */
export async function createMany(client, count, requestFor) {
  const latencies = []
  let next = 0
  const t0 = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: 8}, async () => {
      while (next < count) {
        const [path, body] = requestFor(next++)
        const s = process.hrtime.bigint()
        const r = await client.request('POST', path, body)
        if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.body}`)
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6)
      }
    }),
  )
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const s = stats(latencies)
  return {perSecond: count / seconds, p50: s.p50, p99: s.p99, startedAt: t0}
}

/** Milliseconds from `since` (hrtime) until `count` pods in default are Running; bounded to 5 minutes. */
export async function untilAllRunning(client, count, since) {
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    const r = await client.request('GET', '/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DRunning')
    if (JSON.parse(r.body).items.length >= count) return Number(process.hrtime.bigint() - since) / 1e6
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`pods not all Running within 5 minutes`)
}

export function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024
}

/**
 * Issue 3's scale figure on a running cluster: `deployments` x `replicas` pods from Deployments in
 * default, watched until all Running; then a rolling update of the first Deployment (new image) until
 * it is complete. Times are from the first Deployment create (and from the update's patch).
 */
export async function scaleRun(client, {deployments, replicas, timeoutMs = 300_000}) {
  const total = deployments * replicas
  const running = new Set()
  const scheduled = new Set()
  const marks = {}
  const t0 = process.hrtime.bigint()
  const since = () => Number(process.hrtime.bigint() - t0) / 1e6
  const stop = client.watch('/api/v1/namespaces/default/pods?watch=true&resourceVersion=0', (line) => {
    const ev = JSON.parse(line)
    if (ev.type === 'DELETED') return
    const name = ev.object.metadata.name
    if (ev.object.spec?.nodeName) scheduled.add(name)
    if (ev.object.status?.phase === 'Running') running.add(name)
    if (marks.scheduled === undefined && scheduled.size >= total) marks.scheduled = since()
    if (marks.running === undefined && running.size >= total) marks.running = since()
  })
  try {
    let next = 0
    await Promise.all(Array.from({length: 8}, async () => {
      while (next < deployments) {
        const name = `scale-${next++}`
        const body = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name}, spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'c', image: 'busybox:1'}]}}}}
        const r = await client.request('POST', '/apis/apps/v1/namespaces/default/deployments', body)
        if (r.status !== 201) throw new Error(`deployment ${name}: ${r.status} ${r.body}`)
      }
    }))
    let peak = 0
    const deadline = Date.now() + timeoutMs
    while (marks.running === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250))
      peak = Math.max(peak, peakRssMiB(client.pid))
    }
    if (marks.running === undefined) throw new Error(`only ${running.size} of ${total} pods Running after ${timeoutMs / 1000} s`)

    const u0 = process.hrtime.bigint()
    const patch = {spec: {template: {spec: {containers: [{name: 'c', image: 'busybox:2'}]}}}}
    const patched = await client.requestRaw('PATCH', '/apis/apps/v1/namespaces/default/deployments/scale-0', JSON.stringify(patch), 'application/strategic-merge-patch+json')
    if (patched.status !== 200) throw new Error(`patch: ${patched.status} ${patched.body}`)
    const generation = JSON.parse(patched.body).metadata.generation
    let rolloutMs
    while (rolloutMs === undefined && Date.now() < deadline + 120_000) {
      await new Promise((r) => setTimeout(r, 100))
      const d = JSON.parse((await client.request('GET', '/apis/apps/v1/namespaces/default/deployments/scale-0')).body)
      const s = d.status ?? {}
      if (s.observedGeneration >= generation && s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas) rolloutMs = Number(process.hrtime.bigint() - u0) / 1e6
    }
    return {scheduledMs: marks.scheduled, runningMs: marks.running, peakRssMiB: Math.max(peak, peakRssMiB(client.pid)), rolloutMs}
  } finally {
    stop()
  }
}

function runAsync(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())))
  })
}

export async function dockerAnswers() {
  try {
    await runAsync('docker', ['info', '--format', '{{.ServerVersion}}'])
    return true
  } catch {
    return false
  }
}

/**
 * The Docker baseline for issue 4's figure: the same pods kcluster makes (a pause sandbox and an httpd
 * container joined to its network namespace), started with `docker run -d`, all pods at once, until
 * every container runs. Returns milliseconds; removes everything it made.
 */
export async function rawDockerPods(count, {image, command}) {
  const tag = `kcluster-bench-raw-${process.pid}`
  await runAsync('docker', ['network', 'create', tag])
  const t0 = process.hrtime.bigint()
  try {
    await Promise.all(
      Array.from({length: count}, async (_, i) => {
        await runAsync('docker', ['run', '-d', '--name', `${tag}-sb-${i}`, '--label', tag, '--network', tag, 'kcluster/pause:1'])
        await runAsync('docker', ['run', '-d', '--name', `${tag}-app-${i}`, '--label', tag, '--network', `container:${tag}-sb-${i}`, image, ...command])
      }),
    )
    return Number(process.hrtime.bigint() - t0) / 1e6
  } finally {
    const ids = (await runAsync('docker', ['ps', '-aq', '--filter', `label=${tag}`])).split('\n').filter(Boolean)
    if (ids.length) await runAsync('docker', ['rm', '-f', ...ids])
    await runAsync('docker', ['network', 'rm', tag])
  }
}

/** Milliseconds from applying a Deployment of `replicas` httpd pods until all are Ready (status.readyReplicas). */
export async function deploymentReady(client, name, replicas, {image, command}) {
  const t0 = process.hrtime.bigint()
  const body = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name}, spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'httpd', image, imagePullPolicy: 'Never', command}]}}}}
  const r = await client.request('POST', '/apis/apps/v1/namespaces/default/deployments', body)
  if (r.status !== 201) throw new Error(`deployment ${name}: ${r.status} ${r.body}`)
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const d = JSON.parse((await client.request('GET', `/apis/apps/v1/namespaces/default/deployments/${name}`)).body)
    if ((d.status?.readyReplicas ?? 0) >= replicas) return Number(process.hrtime.bigint() - t0) / 1e6
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`deployment ${name} not Ready within 2 minutes`)
}
