import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {containerConfig, refreshVolumes} from '../../../../src/cluster/agent/container-config/container-config.js'
import {ProjectedTokens} from '../../../../src/cluster/agent/container-config/projected-tokens.js'
import type {ServiceAccountTokens, TokenRequestSpec} from '../../../../src/cluster/apiserver/service-account-tokens.js'
import {rfc3339} from '../../../../src/cluster/clock.js'
import {ManualClock} from '../../../../src/cluster/manual-clock.js'
import {FakeRegistry} from './fake-registry.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cc-token-'))
})
afterAll(async () => {
  await rm(root, {recursive: true, force: true})
})

/** A TokenRequest stand-in that numbers its tokens and remembers what was asked. */
function issuer(clock: ManualClock) {
  const requests: Array<{namespace: string; name: string; spec: TokenRequestSpec}> = []
  const tokens: Pick<ServiceAccountTokens, 'request'> = {
    async request(namespace, name, spec) {
      requests.push({namespace, name, spec})
      const expires = new Date(clock.now().getTime() + (spec.expirationSeconds ?? 3600) * 1000)
      return {spec, status: {token: `token-${requests.length}`, expirationTimestamp: rfc3339(expires)}}
    },
  }
  return {requests, tokens}
}

const pod = (uid: string): Pod => ({
  metadata: {name: 'web', namespace: 'apps', uid},
  spec: {
    serviceAccountName: 'builder',
    containers: [{name: 'app', volumeMounts: [{name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true}]}],
    volumes: [{name: 'kube-api-access-abcde', projected: {defaultMode: 0o644, sources: [
      {serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
      {downwardAPI: {items: [{path: 'namespace', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
    ]}}],
  },
})

describe('projected service-account tokens', () => {
  it('asks for a pod-bound token for the pod service account and hands out the cached one until 80% of its lifetime', async () => {
    const clock = new ManualClock()
    const {requests, tokens} = issuer(clock)
    const manager = new ProjectedTokens(tokens, clock)
    const p = pod('uid-1')
    expect(await manager.token(p, {path: 'token', expirationSeconds: 1000, audience: 'vault'})).toBe('token-1')
    expect(requests[0]).toEqual({namespace: 'apps', name: 'builder', spec: {audiences: ['vault'], expirationSeconds: 1000, boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'uid-1'}}})
    await clock.advance(799_000)
    expect(await manager.token(p, {path: 'token', expirationSeconds: 1000, audience: 'vault'})).toBe('token-1')
    await clock.advance(1_000)
    expect(await manager.token(p, {path: 'token', expirationSeconds: 1000, audience: 'vault'})).toBe('token-2')
    // Another audience is another token; no audience asks for the API's own.
    expect(await manager.token(p, {path: 'token', expirationSeconds: 1000})).toBe('token-3')
    expect(requests[2]!.spec.audiences).toEqual([])
  })

  it('writes the token file of a kube-api-access volume and rewrites it once the token is due for refresh', async () => {
    const clock = new ManualClock()
    const {tokens} = issuer(clock)
    const registry = new FakeRegistry()
    const deps = {registry, podsDir: path.join(root, 'pods'), tokens: new ProjectedTokens(tokens, clock)}
    const p = pod('uid-2')
    const config = await containerConfig(deps, p, p.spec!.containers[0] as Container, undefined)
    const dir = config.mounts![0]!.hostPath
    expect(config.mounts![0]).toMatchObject({containerPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true})
    expect(await readFile(path.join(dir, 'token'), 'utf8')).toBe('token-1')
    expect((await stat(path.join(dir, 'token'))).mode & 0o777).toBe(0o644)
    expect(await readFile(path.join(dir, 'namespace'), 'utf8')).toBe('apps')

    expect(await refreshVolumes(deps, p)).toBe(false)
    await clock.advance(Math.ceil(3607 * 0.8) * 1000)
    expect(await refreshVolumes(deps, p)).toBe(true)
    expect(await readFile(path.join(dir, 'token'), 'utf8')).toBe('token-2')
  })

  it('fails the mount with the kubelet message when no token can be had', async () => {
    const clock = new ManualClock()
    const failing: Pick<ServiceAccountTokens, 'request'> = {request: () => Promise.reject(new Error('serviceaccounts "builder" not found'))}
    const deps = {registry: new FakeRegistry(), podsDir: path.join(root, 'pods'), tokens: new ProjectedTokens(failing, clock)}
    const p = pod('uid-3')
    await expect(containerConfig(deps, p, p.spec!.containers[0] as Container, undefined)).rejects.toThrow('failed to fetch token: serviceaccounts "builder" not found')
  })
})
