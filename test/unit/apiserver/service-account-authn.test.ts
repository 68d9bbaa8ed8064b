import {describe, expect, it} from 'vitest'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {serviceAccountAuthenticator} from '../../../src/cluster/apiserver/service-account-authn.js'
import {SERVICE_ACCOUNT_ISSUER} from '../../../src/cluster/pki/service-account-signer.js'
import {ObjectsByKind, testSigner} from './service-account-fakes.js'

function world() {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  const signer = testSigner(clock)
  const registry = new ObjectsByKind()
  registry.put('ServiceAccount', 'apps', 'builder', 'sa-1')
  registry.put('Pod', 'apps', 'web', 'pod-1')
  registry.put('Secret', 'apps', 'tok', 'secret-1')
  const authenticate = serviceAccountAuthenticator({signer, registry, clock})
  const issue = (extra: Record<string, unknown> = {}) =>
    signer.issue({namespace: 'apps', serviceAccount: {name: 'builder', uid: 'sa-1'}, audiences: [SERVICE_ACCOUNT_ISSUER], expirationSeconds: 3600, ...extra})
  return {clock, signer, registry, authenticate, issue}
}

describe('service-account token authentication', () => {
  it('maps a good token to the service account user and its groups', async () => {
    const {authenticate, issue} = world()
    expect(await authenticate(issue())).toEqual({
      username: 'system:serviceaccount:apps:builder',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:apps', 'system:authenticated'],
    })
  })

  it('refuses a token once its ServiceAccount is deleted or re-created with another uid', async () => {
    const {authenticate, issue, registry} = world()
    const token = issue()
    registry.put('ServiceAccount', 'apps', 'builder', 'sa-2')
    expect(await authenticate(token)).toBeUndefined()
    registry.delete('ServiceAccount', 'apps', 'builder')
    expect(await authenticate(token)).toBeUndefined()
  })

  it('keeps a pod-bound token while the pod exists, and refuses it once the pod is gone or replaced', async () => {
    const {authenticate, issue, registry} = world()
    const token = issue({pod: {name: 'web', uid: 'pod-1'}})
    expect(await authenticate(token)).toBeDefined()
    registry.put('Pod', 'apps', 'web', 'pod-2')
    expect(await authenticate(token)).toBeUndefined()
    registry.delete('Pod', 'apps', 'web')
    expect(await authenticate(token)).toBeUndefined()
  })

  it('refuses a secret-bound token once the secret is gone', async () => {
    const {authenticate, issue, registry} = world()
    const token = issue({secret: {name: 'tok', uid: 'secret-1'}})
    expect(await authenticate(token)).toBeDefined()
    registry.delete('Secret', 'apps', 'tok')
    expect(await authenticate(token)).toBeUndefined()
  })

  it('accepts a terminating pod for the first minute of its deletion only', async () => {
    const {authenticate, issue, registry, clock} = world()
    const token = issue({pod: {name: 'web', uid: 'pod-1'}})
    registry.markDeleted('Pod', 'apps', 'web', clock.now())
    expect(await authenticate(token)).toBeDefined()
    await clock.advance(61_000)
    expect(await authenticate(token)).toBeUndefined()
  })

  it('refuses tokens for other audiences, expired tokens and garbage', async () => {
    const {authenticate, issue, clock} = world()
    expect(await authenticate(issue({audiences: ['vault']}))).toBeUndefined()
    const token = issue({expirationSeconds: 600})
    await clock.advance(700_000)
    expect(await authenticate(token)).toBeUndefined()
    expect(await authenticate('not-a-jwt')).toBeUndefined()
  })
})
