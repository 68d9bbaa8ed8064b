import {describe, expect, it} from 'vitest'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {serviceAccountTokens} from '../../../src/cluster/apiserver/service-account-tokens.js'
import {SERVICE_ACCOUNT_ISSUER} from '../../../src/cluster/pki/service-account-signer.js'
import {ObjectsByKind, testSigner} from './service-account-fakes.js'

function world() {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  const signer = testSigner(clock)
  const registry = new ObjectsByKind()
  registry.put('ServiceAccount', 'apps', 'builder', 'sa-1')
  registry.put('Pod', 'apps', 'web', 'pod-1', {spec: {serviceAccountName: 'builder'}})
  registry.put('Pod', 'apps', 'other', 'pod-2', {spec: {serviceAccountName: 'default'}})
  return {signer, tokens: serviceAccountTokens({signer, registry, clock})}
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: {code: number; message: string}) => ({code: e.code, message: e.message}))

describe('TokenRequest', () => {
  it('defaults to one hour and the API audience, and reports the expiry', async () => {
    const {tokens, signer} = world()
    const {spec, status} = await tokens.request('apps', 'builder', {})
    expect(spec).toMatchObject({audiences: [SERVICE_ACCOUNT_ISSUER], expirationSeconds: 3600})
    expect(status.expirationTimestamp).toBe('2026-01-01T01:00:00Z')
    expect(signer.verify(status.token)).toMatchObject({sub: 'system:serviceaccount:apps:builder', aud: [SERVICE_ACCOUNT_ISSUER], 'kubernetes.io': {serviceaccount: {uid: 'sa-1'}}})
  })

  it('keeps the requested audiences and lifetime', async () => {
    const {tokens, signer} = world()
    const {status} = await tokens.request('apps', 'builder', {audiences: ['vault'], expirationSeconds: 600})
    expect(status.expirationTimestamp).toBe('2026-01-01T00:10:00Z')
    expect(signer.verify(status.token)?.aud).toEqual(['vault'])
  })

  it('refuses lifetimes under ten minutes with the upstream message', async () => {
    expect(await failure(world().tokens.request('apps', 'builder', {expirationSeconds: 599}))).toEqual({
      code: 422,
      message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    })
  })

  it('answers 404 for a missing ServiceAccount', async () => {
    expect(await failure(world().tokens.request('apps', 'nobody', {}))).toEqual({code: 404, message: 'serviceaccounts "nobody" not found'})
  })

  it('binds a token to a pod of the same service account, checking its uid', async () => {
    const {tokens, signer} = world()
    const {status} = await tokens.request('apps', 'builder', {boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: 'web'}})
    expect(signer.verify(status.token)?.['kubernetes.io'].pod).toEqual({name: 'web', uid: 'pod-1'})
    expect((await failure(tokens.request('apps', 'builder', {boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'stale'}})))?.code).toBe(409)
    expect(await failure(tokens.request('apps', 'builder', {boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: 'other'}}))).toEqual({
      code: 400,
      message: 'cannot bind token for serviceaccount "builder" to pod running with different serviceaccount name.',
    })
    expect((await failure(tokens.request('apps', 'builder', {boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: 'missing'}})))?.code).toBe(404)
    expect((await failure(tokens.request('apps', 'builder', {boundObjectRef: {kind: 'Deployment', apiVersion: 'apps/v1', name: 'web'}})))?.code).toBe(400)
  })
})
