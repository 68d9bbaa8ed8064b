import {X509Certificate} from 'node:crypto'
import https from 'node:https'
import tls from 'node:tls'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createSelfSignedCertificate, selectTlsEntry, type IngressTlsEntry, type PemPair} from '../../../../src/cluster/network/ingress/ingress-tls.js'
import {startIngressServer, type IngressServer} from '../../../../src/cluster/network/ingress/ingress-server.js'
import {startBackend, type Backend, type Echo} from './backends.js'
import {ingress, rule, tableOf} from './ingress-fixtures.js'

describe('selectTlsEntry', () => {
  const pair = {cert: '', key: ''}
  const exact: IngressTlsEntry = {hosts: ['a.test'], ...pair}
  const wild: IngressTlsEntry = {hosts: ['*.test'], ...pair}
  const wildA: IngressTlsEntry = {hosts: ['*.a.test'], ...pair}
  const any: IngressTlsEntry = {hosts: [], ...pair}

  it('prefers an exact host, then a wildcard one label deep, then an entry without hosts', () => {
    expect(selectTlsEntry([wild, any, exact], 'A.test')).toBe(exact)
    expect(selectTlsEntry([any, wildA, wild], 'x.a.test')).toBe(wildA)
    expect(selectTlsEntry([exact, wildA, any], 'y.x.a.test')).toBe(any)
    expect(selectTlsEntry([exact, wildA], 'y.x.a.test')).toBeUndefined()
    expect(selectTlsEntry([exact, any], undefined)).toBe(any)
  })

  it('gives a host named by several entries to the earliest', () => {
    const second: IngressTlsEntry = {hosts: ['b.test', 'a.test'], ...pair}
    expect(selectTlsEntry([exact, second], 'a.test')).toBe(exact)
    expect(selectTlsEntry([second, exact], 'a.test')).toBe(second)
  })
})

describe('the HTTPS listener', () => {
  let backend: Backend
  let server: IngressServer
  let siteA: PemPair
  let siteWild: PemPair
  let fallback: PemPair
  const entries: IngressTlsEntry[] = []

  beforeAll(async () => {
    backend = await startBackend('secure')
    ;[siteA, siteWild, fallback] = await Promise.all([
      createSelfSignedCertificate({commonName: 'a.test', hosts: ['a.test']}),
      createSelfSignedCertificate({commonName: 'wild', hosts: ['*.wild.test']}),
      createSelfSignedCertificate({commonName: 'fallback'}),
    ])
    entries.push({hosts: ['a.test'], ...siteA}, {hosts: ['*.wild.test'], ...siteWild}, {hosts: ['broken.test'], cert: 'nonsense', key: 'nonsense'})
    const table = tableOf(ingress({name: 's', rules: [rule('a.test', {path: '/', service: 'secure'})]}))
    server = await startIngressServer({
      host: '127.0.0.1',
      httpPort: 0,
      httpsPort: 0,
      routes: () => table,
      resolve: () => [{ip: '127.0.0.1', port: backend.port}],
      tls: () => entries,
      defaultCertificate: fallback,
    })
  })
  afterAll(async () => {
    await server?.close()
    await backend?.close()
  })

  // The fingerprint of the certificate the listener presents for a server name (or none).
  const servedFor = (servername: string | undefined): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = tls.connect({host: '127.0.0.1', port: server.httpsPort, rejectUnauthorized: false, ...(servername ? {servername} : {})}, () => {
        resolve(socket.getPeerX509Certificate()!.fingerprint256)
        socket.destroy()
      })
      socket.on('error', reject)
    })
  const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256

  it('presents the certificate of the TLS entry naming the SNI host', async () => {
    expect(await servedFor('a.test')).toBe(fingerprint(siteA.cert))
  })

  it('presents a wildcard entry for a host one label below it', async () => {
    expect(await servedFor('x.wild.test')).toBe(fingerprint(siteWild.cert))
    expect(await servedFor('y.x.wild.test')).toBe(fingerprint(fallback.cert))
  })

  it('presents the default certificate for unknown names, no SNI, and entries with a broken key pair', async () => {
    expect(await servedFor('other.test')).toBe(fingerprint(fallback.cert))
    expect(await servedFor(undefined)).toBe(fingerprint(fallback.cert))
    expect(await servedFor('broken.test')).toBe(fingerprint(fallback.cert))
  })

  it('proxies a verified HTTPS request and tells the backend the scheme was https', async () => {
    const seen = await new Promise<Echo>((resolve, reject) => {
      const req = https.request({host: '127.0.0.1', port: server.httpsPort, servername: 'a.test', ca: siteA.cert, path: '/s', headers: {Host: 'a.test'}, agent: false}, (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve(JSON.parse(body) as Echo))
      })
      req.on('error', reject)
      req.end()
    })
    expect(seen.backend).toBe('secure')
    expect(seen.headers['x-forwarded-proto']).toBe('https')
  })

  it('generates a self-signed default certificate when none is given', async () => {
    const own = await startIngressServer({host: '127.0.0.1', httpPort: 0, httpsPort: 0, routes: () => tableOf(), resolve: () => [], tls: () => []})
    try {
      const cert = await new Promise<X509Certificate>((resolve, reject) => {
        const socket = tls.connect({host: '127.0.0.1', port: own.httpsPort, rejectUnauthorized: false}, () => {
          resolve(socket.getPeerX509Certificate()!)
          socket.destroy()
        })
        socket.on('error', reject)
      })
      expect(cert.subject).toBe('CN=Kubernetes Ingress Controller Fake Certificate')
      expect(cert.verify(cert.publicKey)).toBe(true)
    } finally {
      await own.close()
    }
  })
})
