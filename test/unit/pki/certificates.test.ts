import {X509Certificate, createPrivateKey} from 'node:crypto'
import {mkdtemp, readFile, rm, stat, unlink} from 'node:fs/promises'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {IN_CLUSTER_API_NAMES, ensureCertificates, ensureServingAddresses, type ClusterCertificates} from '../../../src/cluster/pki/certificates.js'

describe('ensureCertificates', () => {
  let dir: string
  let certs: ClusterCertificates

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kcluster-pki-'))
    certs = await ensureCertificates(dir)
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('creates a CA that signed both the server and the admin certificate', () => {
    const ca = new X509Certificate(certs.caCert)
    expect(ca.ca).toBe(true)
    expect(ca.subject).toBe('CN=kcluster-ca')
    expect(ca.verify(ca.publicKey)).toBe(true)
    for (const pem of [certs.serverCert, certs.adminCert]) {
      const leaf = new X509Certificate(pem)
      expect(leaf.verify(ca.publicKey)).toBe(true)
      expect(leaf.checkIssued(ca)).toBe(true)
      expect(leaf.ca).toBe(false)
    }
  })

  it('gives the CA a validity of about ten years and uses ECDSA P-256 keys', () => {
    const ca = new X509Certificate(certs.caCert)
    const years = (Date.parse(ca.validTo) - Date.now()) / (365 * 24 * 3600 * 1000)
    expect(years).toBeGreaterThan(9.9)
    expect(years).toBeLessThan(10.1)
    const key = createPrivateKey(certs.caKey)
    expect(key.asymmetricKeyType).toBe('ec')
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
  })

  it('issues the server certificate for 127.0.0.1, ::1 and localhost', () => {
    const server = new X509Certificate(certs.serverCert)
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(server.checkIP('::1')).toBeDefined()
    expect(server.checkHost('localhost')).toBe('localhost')
    expect(server.checkHost('example.com')).toBeUndefined()
  })

  it('names the admin user kcluster-admin in group system:masters', () => {
    const admin = new X509Certificate(certs.adminCert)
    expect(admin.subject.split('\n').sort()).toEqual(['CN=kcluster-admin', 'O=system:masters'])
  })

  it('writes private keys with mode 0600', async () => {
    for (const file of ['ca.key', 'server.key', 'admin.key']) {
      expect((await stat(path.join(dir, file))).mode & 0o777).toBe(0o600)
    }
  })

  it('returns the same certificates on a second call instead of generating new ones', async () => {
    expect(await ensureCertificates(dir)).toEqual(certs)
  })

  it('re-issues a missing leaf from the existing CA, keeping the CA', async () => {
    await unlink(path.join(dir, 'admin.crt'))
    const again = await ensureCertificates(dir)
    expect(again.caCert).toBe(certs.caCert)
    expect(again.adminCert).not.toBe(certs.adminCert)
    expect(new X509Certificate(again.adminCert).verify(new X509Certificate(certs.caCert).publicKey)).toBe(true)
    expect(await readFile(path.join(dir, 'admin.crt'), 'utf8')).toBe(again.adminCert)
    certs = again
  })

  it('re-issues the server certificate for the in-cluster addresses once, from the same CA, and keeps the admin one', async () => {
    const renewed = await ensureServingAddresses(dir, certs, ['10.200.128.1', '10.200.0.1'])
    const names = new X509Certificate(renewed.serverCert).subjectAltName!.split(', ')
    expect(names).toEqual(expect.arrayContaining(['IP Address:127.0.0.1', 'IP Address:10.200.128.1', 'IP Address:10.200.0.1', ...IN_CLUSTER_API_NAMES.map((n) => `DNS:${n}`)]))
    expect(new X509Certificate(renewed.serverCert).verify(new X509Certificate(certs.caCert).publicKey)).toBe(true)
    expect({ca: renewed.caCert, admin: renewed.adminCert}).toEqual({ca: certs.caCert, admin: certs.adminCert})
    expect(await readFile(path.join(dir, 'server.crt'), 'utf8')).toBe(renewed.serverCert)
    expect((await stat(path.join(dir, 'server.key'))).mode & 0o777).toBe(0o600)
    expect(await ensureServingAddresses(dir, renewed, ['10.200.0.1'])).toBe(renewed)
    certs = renewed
  })

  it('lets a TLS server that requires client certificates accept the admin certificate', async () => {
    const server = https.createServer({key: certs.serverKey, cert: certs.serverCert, ca: certs.caCert, requestCert: true, rejectUnauthorized: true}, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate()
      res.end(JSON.stringify({cn: peer.subject.CN, o: peer.subject.O}))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as AddressInfo
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https.get({host: '127.0.0.1', port, path: '/', ca: certs.caCert, cert: certs.adminCert, key: certs.adminKey}, (res) => {
          let text = ''
          res.on('data', (c) => (text += c))
          res.on('end', () => resolve(text))
        }).on('error', reject)
      })
      expect(JSON.parse(body)).toEqual({cn: 'kcluster-admin', o: 'system:masters'})

      const refused = await new Promise<string>((resolve) => {
        https.get({host: '127.0.0.1', port, path: '/', ca: certs.caCert}, () => resolve('accepted')).on('error', (e) => resolve(e.message))
      })
      expect(refused).not.toBe('accepted')
    } finally {
      server.close()
    }
  })
})
