import {generateKeyPairSync, sign} from 'node:crypto'
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {
  ensureServiceAccountSigner,
  SERVICE_ACCOUNT_ISSUER,
  serviceAccountSigner,
  ServiceAccountKeyError,
  type TokenSubject,
} from '../../../src/cluster/pki/service-account-signer.js'

const ecKey = () => generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString()
const KEY = ecKey()
const T0 = new Date('2026-01-01T00:00:00Z')
const subject: TokenSubject = {
  namespace: 'apps',
  serviceAccount: {name: 'builder', uid: 'sa-uid'},
  audiences: [SERVICE_ACCOUNT_ISSUER],
  expirationSeconds: 3600,
}

const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const partsOf = (token: string) => token.split('.') as [string, string, string]
const payloadOf = (token: string) => JSON.parse(Buffer.from(partsOf(token)[1], 'base64url').toString())

describe('service-account signer', () => {
  it('issues a JWT with the upstream claims that verifies back to them', () => {
    const signer = serviceAccountSigner(KEY, new ManualClock(T0))
    const token = signer.issue({...subject, pod: {name: 'web-1', uid: 'pod-uid'}})
    const header = JSON.parse(Buffer.from(partsOf(token)[0], 'base64url').toString())
    expect(header).toMatchObject({alg: 'ES256'})
    expect(typeof header.kid).toBe('string')
    const iat = T0.getTime() / 1000
    const claims = signer.verify(token)
    expect(claims).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:apps:builder',
      aud: [SERVICE_ACCOUNT_ISSUER],
      iat,
      nbf: iat,
      exp: iat + 3600,
      'kubernetes.io': {namespace: 'apps', serviceaccount: {name: 'builder', uid: 'sa-uid'}, pod: {name: 'web-1', uid: 'pod-uid'}},
    })
    expect(claims!.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(signer.issue(subject)).not.toBe(signer.issue(subject))
  })

  it('rejects a token once it has expired (beyond the one-minute leeway) and before it is valid', () => {
    const clock = new ManualClock(T0)
    const signer = serviceAccountSigner(KEY, clock)
    const token = signer.issue({...subject, expirationSeconds: 600})
    expect(signer.verify(token, new Date(T0.getTime() + 600_000))).toBeDefined()
    expect(signer.verify(token, new Date(T0.getTime() + 661_000))).toBeUndefined()
    expect(signer.verify(token, new Date(T0.getTime() - 61_000))).toBeUndefined()
  })

  it('rejects tokens signed by another key, with a tampered payload or another algorithm', () => {
    const signer = serviceAccountSigner(KEY, new ManualClock(T0))
    const other = serviceAccountSigner(ecKey(), new ManualClock(T0))
    expect(signer.verify(other.issue(subject))).toBeUndefined()

    const [h, p, s] = partsOf(signer.issue(subject))
    const tampered = b64json({...payloadOf(`${h}.${p}.${s}`), sub: 'system:serviceaccount:kube-system:admin'})
    expect(signer.verify(`${h}.${tampered}.${s}`)).toBeUndefined()

    const none = `${b64json({alg: 'none'})}.${p}.`
    expect(signer.verify(none)).toBeUndefined()
    const hs = `${b64json({alg: 'HS256'})}.${p}.${s}`
    expect(signer.verify(hs)).toBeUndefined()
  })

  it('rejects a correctly signed token from another issuer or with inconsistent claims', () => {
    const clock = new ManualClock(T0)
    const foreign = serviceAccountSigner(KEY, clock, 'https://elsewhere.example')
    expect(serviceAccountSigner(KEY, clock).verify(foreign.issue(subject))).toBeUndefined()

    // Hand-signed with the cluster key: sub that disagrees with the kubernetes.io claim.
    const header = b64json({alg: 'ES256'})
    const now = T0.getTime() / 1000
    const payload = b64json({iss: SERVICE_ACCOUNT_ISSUER, sub: 'system:serviceaccount:x:y', aud: ['a'], iat: now, nbf: now, exp: now + 600, jti: 'j',
      'kubernetes.io': {namespace: 'apps', serviceaccount: {name: 'builder', uid: 'u'}}})
    const sig = sign('sha256', Buffer.from(`${header}.${payload}`), {key: KEY, dsaEncoding: 'ieee-p1363'}).toString('base64url')
    expect(serviceAccountSigner(KEY, clock).verify(`${header}.${payload}.${sig}`)).toBeUndefined()
  })

  it('returns undefined for garbage without throwing', () => {
    const signer = serviceAccountSigner(KEY, new ManualClock(T0))
    for (const garbage of ['', 'abc', 'a.b.c', '...', '%%%.%%%.%%%', `${b64json({alg: 'ES256'})}.${b64json([1])}.AAAA`, `${b64json('x')}.e30.`, null as unknown as string])
      expect(signer.verify(garbage)).toBeUndefined()
  })

  it('refuses a key that is not EC P-256', () => {
    const rsa = generateKeyPairSync('rsa', {modulusLength: 1024}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString()
    expect(() => serviceAccountSigner(rsa, new ManualClock(T0))).toThrow(ServiceAccountKeyError)
    expect(() => serviceAccountSigner('not a key', new ManualClock(T0))).toThrow(ServiceAccountKeyError)
  })

  describe('key file', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'sa-key-'))
    })
    afterAll(async () => {
      await rm(dir, {recursive: true, force: true})
    })

    it('is created once with mode 0600 and reused, so tokens survive a restart', async () => {
      const clock = new ManualClock(T0)
      const first = await ensureServiceAccountSigner(path.join(dir, 'pki'), clock)
      const file = path.join(dir, 'pki', 'sa.key')
      expect((await stat(file)).mode & 0o777).toBe(0o600)
      const pem = await readFile(file, 'utf8')
      const token = first.issue(subject)
      const second = await ensureServiceAccountSigner(path.join(dir, 'pki'), clock)
      expect(await readFile(file, 'utf8')).toBe(pem)
      expect(second.verify(token)).toBeDefined()
    })
  })
})
