// Debian's etcd-server as the store baseline: installed with apt-get when missing (root only), one
// member started on 127.0.0.1 (client and peer URLs) with a throwaway data dir and etcd's default
// fsync behaviour, written to through etcd v3's own HTTP/JSON gateway (/v3/kv/put), then stopped and
// its data dir removed.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, openSync, readFileSync, rmSync, closeSync} from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import {join} from 'node:path'

const onPath = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], {encoding: 'utf8'}).stdout.trim() || undefined

/** The etcd binary, installing etcd-server when possible; `{skip}` says why there is none. */
export function ensureEtcd() {
  const found = onPath('etcd')
  if (found) return {bin: found, installedMs: undefined}
  if (process.getuid?.() !== 0) return {skip: 'etcd is not installed and the bench is not root (apt-get install etcd-server)'}
  if (!onPath('apt-get')) return {skip: 'etcd is not installed and there is no apt-get'}
  const t0 = performance.now()
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'etcd-server'], {env, encoding: 'utf8', timeout: 300_000})
  let r = install()
  // Stale package lists are the usual reason an install fails; refresh them once.
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], {env, encoding: 'utf8', timeout: 300_000})
    r = install()
  }
  const bin = onPath('etcd')
  if (r.status !== 0 || !bin) return {skip: `apt-get install -y etcd-server failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').at(-1)}`}
  return {bin, installedMs: performance.now() - t0}
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

function httpJson(agent, port, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = http.request({host: '127.0.0.1', port, method, path, agent, headers: payload ? {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)} : {}}, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(chunks).toString()}))
    })
    req.setTimeout(30_000, () => req.destroy(new Error(`etcd ${method} ${path}: no answer in 30 s`)))
    req.on('error', reject)
    req.end(payload)
  })
}

/** Starts one etcd member under `baseDir`; resolves once /health answers true (bounded to 30 s). */
export async function startEtcd(bin, baseDir) {
  const dataDir = mkdtempSync(join(baseDir, 'etcd-'))
  const [clientPort, peerPort] = [await freePort(), await freePort()]
  const client = `http://127.0.0.1:${clientPort}`
  const peer = `http://127.0.0.1:${peerPort}`
  const logPath = join(baseDir, `etcd-${clientPort}.log`)
  const logFd = openSync(logPath, 'w')
  // ETCD_* variables from the caller's environment would override the flags; none are passed on.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_')))
  const child = spawn(bin, [
    '--name', 'kcluster-bench', '--data-dir', dataDir,
    '--listen-client-urls', client, '--advertise-client-urls', client,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `kcluster-bench=${peer}`, '--initial-cluster-state', 'new',
    '--logger', 'zap', '--log-level', 'warn',
  ], {env, stdio: ['ignore', logFd, logFd]})
  closeSync(logFd)
  let exited
  child.once('exit', (code, signal) => (exited = {code, signal}))
  const agent = new http.Agent({keepAlive: true, maxSockets: 64})
  const deadline = Date.now() + 30_000
  for (;;) {
    if (exited) throw new Error(`etcd exited (${exited.code ?? exited.signal}) before answering: ${readFileSync(logPath, 'utf8').slice(-500)}`)
    const r = await httpJson(agent, clientPort, 'GET', '/health').catch(() => undefined)
    if (r?.status === 200 && JSON.parse(r.body).health === 'true') break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`etcd did not report healthy within 30 s: ${readFileSync(logPath, 'utf8').slice(-500)}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  const version = JSON.parse((await httpJson(agent, clientPort, 'GET', '/version')).body).etcdserver
  const b64 = (s) => Buffer.from(s).toString('base64')
  return {
    version,
    /** One put through the v3 gateway; resolves when etcd acknowledged it (committed and fsynced). */
    async put(key, value) {
      const r = await httpJson(agent, clientPort, 'POST', '/v3/kv/put', {key: b64(key), value: b64(value)})
      if (r.status !== 200) throw new Error(`etcd put ${key}: HTTP ${r.status} ${r.body.slice(0, 200)}`)
    },
    /** A linearizable read of one key: the gateway's and raft's round trip without a disk write. */
    async get(key) {
      const r = await httpJson(agent, clientPort, 'POST', '/v3/kv/range', {key: b64(key)})
      if (r.status !== 200) throw new Error(`etcd range ${key}: HTTP ${r.status} ${r.body.slice(0, 200)}`)
    },
    async stop() {
      agent.destroy()
      if (!exited) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await new Promise((r) => (exited ? r() : child.once('exit', r)))
        clearTimeout(timer)
      }
      rmSync(dataDir, {recursive: true, force: true})
      rmSync(logPath, {force: true})
    },
  }
}
