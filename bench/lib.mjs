// Shared pieces for the benchmarks: a throwaway cluster home, timing, stats, and a keep-alive
// HTTPS client with the cluster's admin certificate.
import {execFileSync, spawnSync} from 'node:child_process'
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
  return {port: config.port, pid, request, watch, close: () => agent.destroy()}
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
