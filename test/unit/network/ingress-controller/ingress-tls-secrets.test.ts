import type {Secret} from 'kubernetes-types/core/v1.js'
import {beforeAll, describe, expect, it} from 'vitest'
import type {TlsRef} from '../../../../src/cluster/network/ingress/ingress-routes.js'
import {createSelfSignedCertificate, type PemPair} from '../../../../src/cluster/network/ingress/ingress-tls.js'
import {SecretChecks, tlsEntries, tlsPairFromSecret} from '../../../../src/cluster/network/ingress-controller/ingress-tls-secrets.js'
import {createDefaultCertificate} from '../../../../src/cluster/network/ingress-controller/ingress-default-certificate.js'
import {X509Certificate} from 'node:crypto'

const b64 = (text: string) => Buffer.from(text).toString('base64')

function tlsSecret(name: string, pair: Partial<PemPair>, extra: Partial<Secret> = {}): Secret {
  const data: Record<string, string> = {}
  if (pair.cert !== undefined) data['tls.crt'] = b64(pair.cert)
  if (pair.key !== undefined) data['tls.key'] = b64(pair.key)
  return {metadata: {name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '1'}, type: 'kubernetes.io/tls', data, ...extra}
}

function section(secretName: string, hosts: string[] = ['a.test']): TlsRef {
  return {namespace: 'shop', secretName, hosts, source: {namespace: 'shop', name: `ing-${secretName}`}}
}

describe('TLS Secrets to certificates', () => {
  let a: PemPair
  let b: PemPair

  beforeAll(async () => {
    a = await createSelfSignedCertificate({commonName: 'a.test', hosts: ['a.test']})
    b = await createSelfSignedCertificate({commonName: 'b.test', hosts: ['b.test']})
  })

  it('takes the decoded certificate and key of a kubernetes.io/tls Secret', () => {
    expect(tlsPairFromSecret(tlsSecret('a', a))).toEqual({pair: {cert: a.cert, key: a.key}})
  })

  it('refuses a Secret of another type, with a missing half, unparsable PEM or a key of another certificate', () => {
    expect(tlsPairFromSecret(tlsSecret('a', a, {type: 'Opaque'}))).toEqual({error: 'is of type "Opaque", not kubernetes.io/tls'})
    expect(tlsPairFromSecret(tlsSecret('a', {key: a.key}))).toEqual({error: 'has no tls.crt'})
    expect(tlsPairFromSecret(tlsSecret('a', {cert: a.cert}))).toEqual({error: 'has no tls.key'})
    expect((tlsPairFromSecret(tlsSecret('a', {cert: 'not a cert', key: a.key})) as {error: string}).error).toMatch(/^has a tls.crt that is not a PEM certificate/)
    expect((tlsPairFromSecret(tlsSecret('a', {cert: a.cert, key: 'garbage'})) as {error: string}).error).toMatch(/^has a tls.key that is not a PEM private key/)
    expect(tlsPairFromSecret(tlsSecret('a', {cert: a.cert, key: b.key}))).toEqual({error: 'has a tls.key that does not match its tls.crt'})
  })

  it('builds entries in section order and reports the sections left out on their Ingress', () => {
    const secrets = new Map([
      ['a', tlsSecret('a', a)],
      ['bad', tlsSecret('bad', {cert: a.cert, key: b.key})],
      ['b', tlsSecret('b', b)],
    ])
    const {entries, problems} = tlsEntries([section('a'), section('missing', []), section('bad', ['c.test']), section('b', ['b.test'])], (_ns, name) => secrets.get(name))
    expect(entries).toEqual([{hosts: ['a.test'], ...a}, {hosts: ['b.test'], ...b}])
    expect(problems).toEqual([
      {source: {namespace: 'shop', name: 'ing-missing'}, reason: 'MissingTLSSecret', message: 'secret shop/missing not found; serving the default certificate for every host'},
      {source: {namespace: 'shop', name: 'ing-bad'}, reason: 'InvalidTLSSecret', message: 'secret shop/bad has a tls.key that does not match its tls.crt; serving the default certificate for c.test'},
    ])
  })

  it('accepts an RSA pair, such as the listener\'s default certificate', async () => {
    const fallback = await createDefaultCertificate()
    expect(new X509Certificate(fallback.cert).publicKey.asymmetricKeyType).toBe('rsa')
    expect(new X509Certificate(fallback.cert).subject).toBe('CN=Kubernetes Ingress Controller Fake Certificate')
    expect(tlsPairFromSecret(tlsSecret('fallback', fallback))).toEqual({pair: fallback})
  })

  it('checks a Secret again only when its resourceVersion changes', () => {
    const checks = new SecretChecks()
    const first = tlsSecret('a', a)
    expect('pair' in checks.check(first)).toBe(true)
    // Same version with other data: the cached verdict stands (the informer never does this; it proves the cache is used).
    expect('pair' in checks.check({...first, data: {}})).toBe(true)
    expect(checks.check({...first, metadata: {...first.metadata, resourceVersion: '2'}, data: {}})).toEqual({error: 'has no tls.crt'})
  })
})
