// A read-only Docker registry (HTTP API v2) served by the test itself on 127.0.0.1, so real pulls can be
// proven without any network beyond loopback: dockerd counts 127.0.0.0/8 as an insecure registry and
// talks plain HTTP to it. Every repository name and tag resolves to one local image, exported with
// `docker save` and re-served as a schema2 manifest, its config and gzipped layers.
import {execa} from 'execa'
import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

export const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json'
const CONFIG_V1 = 'application/vnd.docker.container.image.v1+json'
const LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip'

export interface LoopbackRegistryOptions {
  /** A local image to serve under every name, e.g. `kcluster-test/busybox:1`. */
  source: string
  /**
   * Holds each manifest or blob request (HEAD too) this long before answering: a pull that takes a known
   * time. dockerd may send only `HEAD .../manifests/<tag>` for an image it has, so blobs alone would not do.
   */
  delayMs?: number
  /**
   * Adds a layer of this many random bytes on top of the source: an image the engine has never seen,
   * whose pull really downloads a layer (and so reports per-layer progress).
   */
  freshLayerBytes?: number
  /** Sends blob bodies at about this rate: a download slow enough to watch. */
  bytesPerSecond?: number
}

export interface LoopbackRegistry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  host: string
  /** Every request in arrival order, as `METHOD /path`. */
  requests: string[]
  /** The digest of the manifest every tag resolves to. */
  manifestDigest: string
  close(): Promise<void>
}

interface SavedManifest {
  Config: string
  Layers: string[]
}

const digestOf = (body: Buffer | string) => `sha256:${createHash('sha256').update(body).digest('hex')}`

/** The image as registry content: the manifest and its blobs by digest. */
async function exportImage(source: string, freshLayerBytes: number): Promise<{manifest: Buffer; blobs: Map<string, Buffer>}> {
  const dir = mkdtempSync(join(tmpdir(), 'kcluster-registry-'))
  try {
    await execa('docker', ['save', '-o', join(dir, 'image.tar'), source])
    await execa('tar', ['-xf', join(dir, 'image.tar'), '-C', dir])
    const [saved] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as SavedManifest[]
    if (!saved) throw new Error(`docker save ${source}: manifest.json lists no image`)
    let config: Buffer = readFileSync(join(dir, saved.Config))
    const layerTars: Buffer[] = saved.Layers.map((path) => readFileSync(join(dir, path)))
    if (freshLayerBytes > 0) {
      const fresh = await freshLayer(dir, freshLayerBytes)
      layerTars.push(fresh)
      // The config lists every layer's uncompressed digest: dockerd checks each download against it.
      const parsed = JSON.parse(config.toString())
      parsed.rootfs.diff_ids.push(digestOf(fresh))
      parsed.history?.push({created: new Date().toISOString(), created_by: 'kcluster loopback registry: fresh layer'})
      config = Buffer.from(JSON.stringify(parsed))
    }
    const blobs = new Map<string, Buffer>([[digestOf(config), config]])
    const layers = layerTars.map((tar) => {
      const body = gzipSync(tar)
      const digest = digestOf(body)
      blobs.set(digest, body)
      return {mediaType: LAYER_GZIP, size: body.length, digest}
    })
    const manifest = {
      schemaVersion: 2,
      mediaType: MANIFEST_V2,
      config: {mediaType: CONFIG_V1, size: config.length, digest: digestOf(config)},
      layers,
    }
    return {manifest: Buffer.from(JSON.stringify(manifest)), blobs}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** A layer tar holding one file of random bytes (random so that it neither compresses nor repeats). */
async function freshLayer(dir: string, bytes: number): Promise<Buffer> {
  mkdirSync(join(dir, 'fresh'))
  writeFileSync(join(dir, 'fresh', 'kcluster-fresh'), randomBytes(bytes))
  await execa('tar', ['-cf', join(dir, 'fresh.tar'), '-C', join(dir, 'fresh'), 'kcluster-fresh'])
  return readFileSync(join(dir, 'fresh.tar'))
}

type Timers = Set<NodeJS.Timeout>

function send(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string> = {}): void {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body)
  res.writeHead(status, {'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Type': 'application/json', 'Content-Length': String(buffer.length), ...headers})
  res.end(req.method === 'HEAD' ? undefined : buffer)
}

/** A blob's body in tenths of bytesPerSecond every 100 ms. */
function sendSlowly(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>, bytesPerSecond: number, timers: Timers): void {
  if (req.method === 'HEAD') return send(req, res, 200, body, headers)
  res.writeHead(200, {'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Length': String(body.length), ...headers})
  const chunk = Math.max(1, Math.ceil(bytesPerSecond / 10))
  let offset = 0
  const timer = setInterval(() => {
    const next = body.subarray(offset, offset + chunk)
    offset += next.length
    const done = offset >= body.length || res.destroyed
    if (done) {
      clearInterval(timer)
      timers.delete(timer)
    }
    if (!res.destroyed) (done ? res.end(next) : res.write(next))
  }, 100)
  timers.add(timer)
}

/** The registry's error body, e.g. `{"errors":[{"code":"BLOB_UNKNOWN",...}]}`. */
function sendError(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  send(req, res, status, JSON.stringify({errors: [{code, message, detail: req.url}]}))
}

export async function startLoopbackRegistry(opts: LoopbackRegistryOptions): Promise<LoopbackRegistry> {
  const {manifest, blobs} = await exportImage(opts.source, opts.freshLayerBytes ?? 0)
  const manifestDigest = digestOf(manifest)
  const requests: string[] = []
  const timers: Timers = new Set()

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    requests.push(`${req.method} ${path}`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(req, res, 405, 'UNSUPPORTED', 'this registry only serves pulls')
    if (path === '/v2/' || path === '/v2') return send(req, res, 200, '{}')
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path)
    if (!match) return sendError(req, res, 404, 'NAME_UNKNOWN', 'repository name not known to registry')
    const [, , kind, reference] = match as unknown as [string, string, string, string]
    let answer: () => void
    if (kind === 'manifests') {
      // Any tag resolves; a digest must be the manifest's own.
      if (reference.startsWith('sha256:') && reference !== manifestDigest) return sendError(req, res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown')
      answer = () => send(req, res, 200, manifest, {'Content-Type': MANIFEST_V2, 'Docker-Content-Digest': manifestDigest})
    } else {
      const blob = blobs.get(reference)
      if (!blob) return sendError(req, res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry')
      const headers = {'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': reference}
      answer = () => (opts.bytesPerSecond ? sendSlowly(req, res, blob, headers, opts.bytesPerSecond, timers) : send(req, res, 200, blob, headers))
    }
    if (!opts.delayMs) return answer()
    const timer = setTimeout(() => {
      timers.delete(timer)
      answer()
    }, opts.delayMs)
    timers.add(timer)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as AddressInfo
  return {
    host: `127.0.0.1:${port}`,
    requests,
    manifestDigest,
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
