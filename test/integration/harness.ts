// In-process control plane on the simulated runtime, driven over real HTTPS with the admin client
// certificate. Tests look only at what a client can see: HTTP answers, stored objects, watch streams.
import {pollUntil} from '../support/eventually.js'
import https from 'node:https'
import type {IncomingHttpHeaders, IncomingMessage} from 'node:http'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startControlPlane, type ControlPlane, type ControlPlaneOptions} from '../../src/cluster/controlplane/control-plane.js'
import {ensureCertificates, type ClusterCertificates} from '../../src/cluster/pki/certificates.js'
import {lineReader, type WatchStream} from './watch-stream.js'

export type {WatchEvent, WatchStream} from './watch-stream.js'

export const NODE_NAME = 'itest-node'

export interface RequestOptions {
  /** An object is sent as JSON; a string or Buffer is sent verbatim. */
  body?: unknown
  /** Defaults to application/json when there is a body; null sends no Content-Type at all. */
  contentType?: string | null
  accept?: string
  headers?: Record<string, string>
  /** Connect without the client certificate. */
  anonymous?: boolean
  timeoutMs?: number
}

export interface HttpResult {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** The parsed body; undefined when it is not JSON. */
  json: any
}

export interface TestCluster {
  url: string
  stateDir: string
  certificates: ClusterCertificates
  request(method: string, path: string, opts?: RequestOptions): Promise<HttpResult>
  watch(path: string, opts?: {accept?: string}): Promise<WatchStream>
  stop(): Promise<void>
}

const DEFAULT_TIMEOUT_MS = 10_000

export interface StateDirOptions {
  /** Reuse this state dir (a restart) instead of a fresh one. */
  stateDir?: string
  /** Leave the state dir in place on stop, for a later restart. */
  keepState?: boolean
}

/** A cluster in its own temp state dir (fresh unless given) on a free port. */
export async function startTestCluster(overrides: Partial<ControlPlaneOptions> = {}, dirs: StateDirOptions = {}): Promise<TestCluster> {
  const stateDir = dirs.stateDir ?? mkdtempSync(join(tmpdir(), 'kcluster-itest-'))
  const certificates = await ensureCertificates(join(stateDir, 'pki'))
  let cp: ControlPlane
  try {
    cp = await startControlPlane({
      name: NODE_NAME,
      stateDir,
      port: 0,
      driver: 'sim',
      certificates,
      simStartDelayMs: 50,
      bookmarkIntervalMs: 200,
      ...overrides,
    })
  } catch (error) {
    if (!dirs.keepState) rmSync(stateDir, {recursive: true, force: true})
    throw error
  }
  const open = (method: string, path: string, opts: RequestOptions) => openRequest(cp.port, certificates, method, path, opts)
  return {
    url: cp.url,
    stateDir,
    certificates,
    async request(method, path, opts = {}) {
      const res = await open(method, path, opts)
      const text = (await readAll(res, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)).toString('utf8')
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }
      return {status: res.statusCode ?? 0, headers: res.headers, text, json}
    },
    async watch(path, opts = {}) {
      const res = await open('GET', path, {accept: opts.accept})
      return lineReader(res)
    },
    async stop() {
      try {
        await cp.stop()
      } finally {
        if (!dirs.keepState) rmSync(stateDir, {recursive: true, force: true})
      }
    },
  }
}

function openRequest(port: number, pki: ClusterCertificates, method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
  let payload: Buffer | undefined
  if (opts.body !== undefined) payload = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body))
  const headers: Record<string, string> = {...opts.headers}
  if (opts.accept) headers.Accept = opts.accept
  if (payload) {
    headers['Content-Length'] = String(payload.length)
    if (opts.contentType !== null) headers['Content-Type'] = opts.contentType ?? 'application/json'
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca: pki.caCert,
        ...(opts.anonymous ? {} : {cert: pki.adminCert, key: pki.adminKey}),
        headers,
        agent: false,
      },
      (res) => {
        // Only the wait for the response head is bounded here: bodies and watch streams bound their own reads.
        req.setTimeout(0)
        resolve(res)
      },
    )
    req.setTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no response in time`)))
    req.on('error', reject)
    if (payload) req.write(payload)
    req.end()
  })
}

function readAll(res: IncomingMessage, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      res.destroy()
      reject(new Error('response body did not complete in time'))
    }, timeoutMs)
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('end', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks))
    })
    res.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
  })
}

/** Poll until fn returns a truthy value; fails with the last error after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  return pollUntil(fn, what, timeoutMs, intervalMs)
}

/** Unique names per test, so tests in one file never see each other's objects. */
let counter = 0
export function uniqueName(prefix: string): string {
  counter += 1
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 6)}`
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'
export const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'
