// The loopback registry the image-pull e2e cases pull from: what it serves must be what dockerd checks
// (digests of the manifest, config and gzipped layers; layers that unpack to the config's diff_ids).
import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {gunzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {engine, itFindsDockerUnderCI} from '../../support/docker-engine.js'
import {MANIFEST_V2, startLoopbackRegistry, type LoopbackRegistry} from '../../support/loopback-registry.js'

const SOURCE = 'kcluster-test/busybox:1'
const sha256 = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`

itFindsDockerUnderCI()

describe.runIf(engine.ok)('the loopback registry', () => {
  let registry: LoopbackRegistry
  const get = async (path: string, method = 'GET') => {
    const res = await fetch(`http://${registry.host}${path}`, {method})
    return {status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer())}
  }

  beforeAll(async () => {
    registry = await startLoopbackRegistry({source: SOURCE})
  })
  afterAll(async () => registry?.close())

  it('listens on 127.0.0.1 and answers the v2 ping with {}', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/)
    const ping = await get('/v2/')
    expect(ping.status).toBe(200)
    expect(JSON.parse(ping.body.toString())).toEqual({})
  })

  it('serves one schema2 manifest under any name and tag, with the digest of its bytes, by HEAD, tag and digest', async () => {
    const manifest = await get('/v2/any/name-1/manifests/some-tag')
    expect(manifest.status).toBe(200)
    expect(manifest.headers.get('content-type')).toBe(MANIFEST_V2)
    expect(manifest.headers.get('docker-content-digest')).toBe(sha256(manifest.body))
    expect(registry.manifestDigest).toBe(sha256(manifest.body))
    const head = await get('/v2/other/manifests/1', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('docker-content-digest')).toBe(registry.manifestDigest)
    expect(head.body.length).toBe(0)
    const byDigest = await get(`/v2/other/manifests/${registry.manifestDigest}`)
    expect(byDigest.body.equals(manifest.body)).toBe(true)
    expect((await get(`/v2/other/manifests/sha256:${'0'.repeat(64)}`)).status).toBe(404)
  })

  it('serves the source image config and gzipped layers whose digests match their bytes and unpack to the diff_ids', async () => {
    const manifest = JSON.parse((await get('/v2/x/manifests/1')).body.toString())
    const config = await get(`/v2/x/blobs/${manifest.config.digest}`)
    expect(sha256(config.body)).toBe(manifest.config.digest)
    expect(config.body.length).toBe(manifest.config.size)
    // The config digest is the image ID: a pull gives the very image that was saved.
    expect(manifest.config.digest).toBe((await execa('docker', ['image', 'inspect', '-f', '{{.Id}}', SOURCE])).stdout)
    const diffIds = JSON.parse(config.body.toString()).rootfs.diff_ids as string[]
    expect(manifest.layers).toHaveLength(diffIds.length)
    for (const [i, layer] of (manifest.layers as Array<{digest: string; size: number}>).entries()) {
      const blob = await get(`/v2/x/blobs/${layer.digest}`)
      expect(sha256(blob.body)).toBe(layer.digest)
      expect(blob.body.length).toBe(layer.size)
      expect(sha256(gunzipSync(blob.body))).toBe(diffIds[i])
    }
  })

  it('answers an unknown blob or path with 404 and the registry error body, and records every request', async () => {
    const before = registry.requests.length
    const missing = await get(`/v2/x/blobs/sha256:${'1'.repeat(64)}`)
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body.toString()).errors[0].code).toBe('BLOB_UNKNOWN')
    const other = await get('/elsewhere')
    expect(other.status).toBe(404)
    expect(JSON.parse(other.body.toString()).errors[0].code).toBe('NAME_UNKNOWN')
    expect((await get('/v2/x/blobs/upload', 'POST')).status).toBe(405)
    expect(registry.requests.slice(before)).toEqual([`GET /v2/x/blobs/sha256:${'1'.repeat(64)}`, 'GET /elsewhere', 'POST /v2/x/blobs/upload'])
  })

  it('holds manifest requests, HEAD included, for delayMs', async () => {
    const slow = await startLoopbackRegistry({source: SOURCE, delayMs: 300})
    try {
      const started = Date.now()
      const res = await fetch(`http://${slow.host}/v2/x/manifests/1`, {method: 'HEAD'})
      expect(res.status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      expect(slow.requests).toEqual(['HEAD /v2/x/manifests/1'])
    } finally {
      await slow.close()
    }
  })
  it('with freshLayerBytes serves a new image: the source layers plus one of random bytes, listed in the config, sent at bytesPerSecond', async () => {
    const fresh = await startLoopbackRegistry({source: SOURCE, freshLayerBytes: 20_000, bytesPerSecond: 40_000})
    try {
      const read = async (path: string) => Buffer.from(await (await fetch(`http://${fresh.host}${path}`)).arrayBuffer())
      const manifest = JSON.parse((await read('/v2/x/manifests/1')).toString())
      const source = JSON.parse((await get('/v2/x/manifests/1')).body.toString())
      expect(manifest.config.digest).not.toBe(source.config.digest)
      expect(manifest.layers.slice(0, -1)).toEqual(source.layers)
      const config = JSON.parse((await read(`/v2/x/blobs/${manifest.config.digest}`)).toString())
      const last = manifest.layers.at(-1) as {digest: string; size: number}
      const started = Date.now()
      const layer = await read(`/v2/x/blobs/${last.digest}`)
      // About 20 kB at 40 kB/s: half a second, not at once.
      expect(Date.now() - started).toBeGreaterThanOrEqual(400)
      expect(sha256(layer)).toBe(last.digest)
      expect(sha256(gunzipSync(layer))).toBe(config.rootfs.diff_ids.at(-1))
      expect(config.rootfs.diff_ids).toHaveLength(manifest.layers.length)
    } finally {
      await fresh.close()
    }
  })
})
