// The cluster's TLS material: one CA, a server certificate for the loopback API endpoint and an admin
// client certificate (O=system:masters, like minikube's user). ECDSA P-256 because it is ten times
// faster to generate than RSA and kubectl accepts it. Generated once per cluster and reused, so the
// kubeconfig written at the first start stays valid across restarts.
import {X509Certificate, webcrypto} from 'node:crypto'
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import type * as X509 from '@peculiar/x509'

/** PEM strings for the whole cluster; keys are PKCS#8. */
export interface ClusterCertificates {
  caCert: string
  caKey: string
  serverCert: string
  serverKey: string
  adminCert: string
  adminKey: string
}

export const ADMIN_USER = 'kcluster-admin'
export const ADMIN_GROUP = 'system:masters'

const crypto = webcrypto
// @peculiar/x509 costs ~250 ms to import, so it is loaded only when something must be generated:
// starting an existing cluster only reads PEM files.
let x509: typeof X509
async function loadX509(): Promise<void> {
  if (x509) return
  x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(crypto)
}

const ALGORITHM = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'} as const
const DAY_MS = 24 * 60 * 60 * 1000

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
} as const satisfies Record<keyof ClusterCertificates, string>

/** Read the certificates in `dir`, creating whatever is missing (the CA only if its key is missing too). */
export async function ensureCertificates(dir: string): Promise<ClusterCertificates> {
  await mkdir(dir, {recursive: true, mode: 0o700})
  const existing = await readExisting(dir)
  if (isComplete(existing)) return existing

  await loadX509()
  const ca = existing.caCert && existing.caKey ? await importCa(existing.caCert, existing.caKey) : await createCa()
  const server = existing.serverCert && existing.serverKey
    ? {cert: existing.serverCert, key: existing.serverKey}
    : await issueLeaf(ca, serverRequest())
  const admin = existing.adminCert && existing.adminKey
    ? {cert: existing.adminCert, key: existing.adminKey}
    : await issueLeaf(ca, {subject: `CN=${ADMIN_USER}, O=${ADMIN_GROUP}`, usage: x509.ExtendedKeyUsage.clientAuth})

  const result: ClusterCertificates = {
    caCert: ca.certPem,
    caKey: ca.keyPem,
    serverCert: server.cert,
    serverKey: server.key,
    adminCert: admin.cert,
    adminKey: admin.key,
  }
  await writeAll(dir, result)
  return result
}

/** The names pods use for the API server: the `kubernetes` Service's DNS names, as kubeadm signs them. */
export const IN_CLUSTER_API_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']

/**
 * The certificates with a server certificate valid for `ips` too (the `kubernetes` ClusterIP and the
 * host's address on the pod network, known only once the runtime has its network), re-issued from
 * the same CA and written to `dir` when it lacks one of them. Kubeconfigs stay valid: the CA is unchanged.
 */
export async function ensureServingAddresses(dir: string, certs: ClusterCertificates, ips: string[]): Promise<ClusterCertificates> {
  const names = new X509Certificate(certs.serverCert).subjectAltName ?? ''
  const has = (entry: string) => names.split(', ').includes(entry)
  if (ips.every((ip) => has(`IP Address:${ip}`)) && IN_CLUSTER_API_NAMES.every((dns) => has(`DNS:${dns}`))) return certs
  await loadX509()
  const server = await issueLeaf(await importCa(certs.caCert, certs.caKey), serverRequest(ips))
  const renewed = {...certs, serverCert: server.cert, serverKey: server.key}
  await writeAll(dir, renewed)
  return renewed
}

function serverRequest(extraIPs: string[] = []): LeafRequest {
  const ips = [...new Set(['127.0.0.1', '::1', ...extraIPs])]
  return {
    subject: 'CN=kcluster-apiserver',
    usage: x509.ExtendedKeyUsage.serverAuth,
    altNames: [...ips.map((value) => ({type: 'ip' as const, value})), ...['localhost', ...IN_CLUSTER_API_NAMES].map((value) => ({type: 'dns' as const, value}))],
  }
}

/** The certificates in `dir`, or undefined if any is missing (never generates). */
export async function readCertificates(dir: string): Promise<ClusterCertificates | undefined> {
  const existing = await readExisting(dir)
  return isComplete(existing) ? existing : undefined
}

async function readExisting(dir: string): Promise<Partial<ClusterCertificates>> {
  const out: Partial<ClusterCertificates> = {}
  for (const [field, file] of Object.entries(FILES) as [keyof ClusterCertificates, string][]) {
    try {
      out[field] = await readFile(path.join(dir, file), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  return out
}

function isComplete(c: Partial<ClusterCertificates>): c is ClusterCertificates {
  return Object.keys(FILES).every((k) => Boolean(c[k as keyof ClusterCertificates]))
}

async function writeAll(dir: string, certs: ClusterCertificates): Promise<void> {
  for (const [field, file] of Object.entries(FILES) as [keyof ClusterCertificates, string][]) {
    const target = path.join(dir, file)
    // A new file then a rename: a crash mid-write leaves the old certificate, never half of one.
    const temporary = `${target}.tmp-${process.pid}`
    await writeFile(temporary, certs[field], {mode: field.endsWith('Key') ? 0o600 : 0o644})
    await rename(temporary, target)
  }
}

interface Ca {
  cert: X509.X509Certificate
  keys: webcrypto.CryptoKeyPair
  certPem: string
  keyPem: string
}

async function createCa(): Promise<Ca> {
  const keys = await generateKeys()
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=kcluster-ca',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return {cert, keys, certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey)}
}

async function importCa(certPem: string, keyPem: string): Promise<Ca> {
  const cert = new x509.X509Certificate(certPem)
  const privateKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), ALGORITHM, true, ['sign'])
  const publicKey = await cert.publicKey.export(ALGORITHM, ['verify'])
  return {cert, keys: {privateKey, publicKey}, certPem, keyPem}
}

interface LeafRequest {
  subject: string
  usage: X509.ExtendedKeyUsage
  altNames?: X509.JsonGeneralNames
}

async function issueLeaf(ca: Ca, request: LeafRequest): Promise<{cert: string; key: string}> {
  const keys = await generateKeys()
  const now = Date.now()
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([request.usage]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ]
  if (request.altNames) extensions.push(new x509.SubjectAlternativeNameExtension(request.altNames))
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: request.subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  })
  return {cert: cert.toString('pem'), key: await exportKey(keys.privateKey)}
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key)
  return x509.PemConverter.encode(der, 'PRIVATE KEY')
}

// A positive 16-byte serial: the top bit is cleared so DER does not read it as negative.
function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0]! & 0x7f) | 0x01
  return Buffer.from(bytes).toString('hex')
}
