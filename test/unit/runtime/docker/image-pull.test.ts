import type Dockerode from 'dockerode'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {ensureImage, pullDecision, withDefaultTag} from '../../../../src/cluster/runtime/docker/image-pull.js'

/** What Docker 20.10 streams for a two-layer image: one layer already there, one downloaded in two steps. */
const ENGINE_PULL_MESSAGES = [
  {status: 'Pulling from library/app', id: 'latest'},
  {status: 'Already exists', id: 'aaa111'},
  {status: 'Pulling fs layer', id: 'bbb222'},
  {status: 'Downloading', id: 'bbb222', progressDetail: {current: 400, total: 1000}},
  {status: 'Downloading', id: 'bbb222', progressDetail: {current: 1000, total: 1000}},
  {status: 'Download complete', id: 'bbb222'},
  {status: 'Pull complete', id: 'bbb222'},
  {status: 'Digest: sha256:0123'},
  {status: 'Status: Downloaded newer image for app:latest'},
]

/** An engine that holds `images` and, when pulled, records the reference and adds it. */
function fakeEngine(images: Record<string, number>, pullError?: string) {
  const pulls: string[] = []
  const docker = {
    getImage: (name: string) => ({
      inspect: async () => {
        if (!(name in images)) throw Object.assign(new Error('no such image'), {statusCode: 404})
        return {Size: images[name]}
      },
    }),
    pull: async (name: string) => {
      pulls.push(name)
      const stream = new PassThrough()
      const messages = pullError ? [{error: pullError}] : ENGINE_PULL_MESSAGES
      setImmediate(() => {
        for (const m of messages) stream.write(JSON.stringify(m))
        stream.end()
      })
      if (!pullError) images[name] = 42
      return stream
    },
    modem: {
      followProgress(stream: PassThrough, done: (error: Error | null, events: unknown[]) => void, onProgress?: (e: unknown) => void) {
        const events: unknown[] = []
        stream.on('data', (chunk: Buffer) => {
          const event = JSON.parse(chunk.toString())
          events.push(event)
          onProgress?.(event)
        })
        stream.on('end', () => done(null, events))
      },
    },
  }
  return {docker: docker as unknown as Dockerode, pulls}
}

describe('pull decision', () => {
  it('pulls always under Always, only when missing under IfNotPresent, and never under Never', () => {
    expect(pullDecision('Always', true)).toBe('pull')
    expect(pullDecision('Always', false)).toBe('pull')
    expect(pullDecision('IfNotPresent', true)).toBe('use')
    expect(pullDecision('IfNotPresent', false)).toBe('pull')
    expect(pullDecision('Never', true)).toBe('use')
    expect(pullDecision('Never', false)).toBe('fail')
  })

  it('defaults a reference without a tag to latest, leaving registry ports and digests alone', () => {
    expect(withDefaultTag('busybox')).toBe('busybox:latest')
    expect(withDefaultTag('localhost:5000/app')).toBe('localhost:5000/app:latest')
    expect(withDefaultTag('localhost:5000/app:2')).toBe('localhost:5000/app:2')
    expect(withDefaultTag('app@sha256:abc')).toBe('app@sha256:abc')
  })
})

describe('ensureImage', () => {
  it('uses a present image under IfNotPresent and Never without pulling', async () => {
    const {docker, pulls} = fakeEngine({'busybox:1': 2000})
    expect(await ensureImage(docker, 'busybox:1', 'IfNotPresent')).toEqual({pulled: false, size: 2000})
    expect(await ensureImage(docker, 'busybox:1', 'Never')).toEqual({pulled: false, size: 2000})
    expect(pulls).toEqual([])
  })

  it('fails a missing image under Never with the kubelet ErrImageNeverPull message', async () => {
    const {docker} = fakeEngine({})
    await expect(ensureImage(docker, 'app:1', 'Never')).rejects.toMatchObject({code: 'ErrImageNeverPull', message: 'Container image "app:1" is not present with pull policy of Never'})
  })

  it('pulls a missing image under IfNotPresent and a present one under Always, telling the observer first, then the layers', async () => {
    const {docker, pulls} = fakeEngine({'web:2': 10})
    const seen: unknown[] = []
    const observer = {pullStarted: () => seen.push(`started with ${pulls.length} pulls made`), progress: (p: unknown) => seen.push(p)}
    expect(await ensureImage(docker, 'app', 'IfNotPresent', observer)).toEqual({pulled: true, size: 42})
    expect(seen[0]).toBe('started with 0 pulls made')
    expect(seen.at(-1)).toEqual({layers: 2, layersDone: 2, downloadedBytes: 1000, totalBytes: 1000})
    expect(seen).toContainEqual({layers: 2, layersDone: 1, downloadedBytes: 400, totalBytes: 1000})
    expect(await ensureImage(docker, 'web:2', 'Always')).toEqual({pulled: true, size: 42})
    expect(pulls).toEqual(['app:latest', 'web:2'])
  })

  it('does not tell the observer about a pull that does not happen', async () => {
    const {docker} = fakeEngine({'app:1': 5})
    const seen: string[] = []
    await ensureImage(docker, 'app:1', 'IfNotPresent', {pullStarted: () => seen.push('started')})
    expect(seen).toEqual([])
  })

  it('reports an error inside the pull stream as ErrImagePull', async () => {
    const {docker} = fakeEngine({}, 'manifest unknown')
    await expect(ensureImage(docker, 'app:9', 'IfNotPresent')).rejects.toMatchObject({code: 'ErrImagePull', message: expect.stringContaining('manifest unknown')})
  })
})
