// For the tsx benches (scale.ts, scheduler-throughput.ts): one control plane in a child process
// (scale-control-plane.ts), so the bench's own work neither shares its thread nor counts in its RSS,
// with an admin HTTPS client for it.
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import https from 'node:https'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

export interface ChildControlPlane {
  pid: number
  port: number
  tls: {ca: Buffer; cert: Buffer; key: Buffer}
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<{status: number; body: string}>
  stop(): Promise<void>
}

/** `env` carries the SCALE_* settings scale-control-plane.ts reads. */
export async function startChildControlPlane(env: Record<string, string>, opts: {cpuProfile?: boolean} = {}): Promise<ChildControlPlane> {
  const profile = opts.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', 'bench/profiles'] : []
  const child = spawn(process.execPath, ['--import', 'tsx', ...profile, join(import.meta.dirname, 'scale-control-plane.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env},
  })
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({input: child.stdout!}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`control plane exited ${code}`)))
  })
  const {port, stateDir} = JSON.parse(first) as {port: number; stateDir: string}
  const pki = (f: string) => readFileSync(join(stateDir, 'pki', f))
  const tls = {ca: pki('ca.crt'), cert: pki('admin.crt'), key: pki('admin.key')}
  const agent = new https.Agent({keepAlive: true, maxSockets: 16, ...tls})
  const request = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    new Promise<{status: number; body: string}>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const headers = payload ? {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload)} : {}
      const req = https.request({host: '127.0.0.1', port, method, path, agent, headers}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({status: res.statusCode!, body: Buffer.concat(chunks).toString()}))
      })
      req.on('error', reject)
      if (payload) req.write(payload)
      req.end()
    })
  return {
    pid: child.pid!,
    port,
    tls,
    request,
    async stop() {
      agent.destroy()
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
}
