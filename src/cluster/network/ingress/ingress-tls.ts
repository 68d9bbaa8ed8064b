// Certificates for the HTTPS listener, chosen by SNI from the TLS sections of served Ingresses. A name
// no section covers gets a self-signed certificate, as ingress-nginx serves its "Fake Certificate":
// clients that do not verify still connect, clients that verify see it is not the site's.
import {webcrypto} from 'node:crypto'
import tls from 'node:tls'
import {logger} from '../../log.js'
import {hostMatches} from './route-match.js'

/** A certificate and key (PEM) with the hosts it serves; no hosts means any name no other entry covers. */
export interface IngressTlsEntry {
  hosts: readonly string[]
  cert: string
  key: string
}

export interface PemPair {
  cert: string
  key: string
}

const log = logger('ingress')
// RSA on purpose: Node's SNICallback installs the chosen certificate into the slot of its key type
// only, so with an ECDSA default an RSA site certificate (the usual `openssl req -newkey rsa` or
// cert-manager one) would never be served to a client that accepts ECDSA: the default in the other
// slot wins the handshake. With an RSA default, an RSA site certificate replaces it.
const ALGORITHMS = {
  rsa: {name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'},
  ecdsa: {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'},
} as const
const DAY_MS = 24 * 60 * 60 * 1000
const MAX_CACHED_CONTEXTS = 256

/**
 * The entry serving `serverName`: one naming it exactly first, then one whose wildcard covers it, then
 * one without hosts; in each step the earliest entry wins. Undefined means the default certificate.
 */
export function selectTlsEntry(entries: readonly IngressTlsEntry[], serverName: string | undefined): IngressTlsEntry | undefined {
  if (serverName) {
    const name = serverName.toLowerCase()
    const exact = entries.find((e) => e.hosts.some((h) => !h.startsWith('*.') && h.toLowerCase() === name))
    if (exact) return exact
    const wildcard = entries.find((e) => e.hosts.some((h) => h.startsWith('*.') && hostMatches(h, name)))
    if (wildcard) return wildcard
  }
  return entries.find((e) => e.hosts.length === 0)
}

export type SniCallback = (serverName: string, callback: (error: Error | null, context?: tls.SecureContext) => void) => void

/** An SNICallback for node:tls that reads the entries on every handshake and caches secure contexts. */
export function createSniCallback(entries: () => readonly IngressTlsEntry[], fallback: PemPair): SniCallback {
  const contexts = new Map<string, tls.SecureContext>()
  const contextFor = (pair: PemPair): tls.SecureContext => {
    const key = `${pair.cert}\n${pair.key}`
    let context = contexts.get(key)
    if (!context) {
      // Secrets change over time; dropping the whole cache now and then keeps it bounded without bookkeeping.
      if (contexts.size >= MAX_CACHED_CONTEXTS) contexts.clear()
      context = tls.createSecureContext({cert: pair.cert, key: pair.key})
      contexts.set(key, context)
    }
    return context
  }
  return (serverName, callback) => {
    let entry: IngressTlsEntry | undefined
    try {
      entry = selectTlsEntry(entries(), serverName)
      callback(null, contextFor(entry ?? fallback))
    } catch (error) {
      // A Secret with a broken certificate or key must not take the listener down: serve the default.
      log.warn({serverName, hosts: entry?.hosts, err: error}, 'ingress tls entry unusable, serving the default certificate')
      try {
        callback(null, contextFor(fallback))
      } catch (fallbackError) {
        callback(fallbackError as Error)
      }
    }
  }
}

/** A self-signed certificate for `hosts` (RSA 2048 unless asked for ECDSA P-256), valid a year from yesterday. */
export async function createSelfSignedCertificate(options: {commonName: string; hosts?: readonly string[]; keyType?: keyof typeof ALGORITHMS}): Promise<PemPair> {
  const algorithm = ALGORITHMS[options.keyType ?? 'rsa']
  const x509 = await import('@peculiar/x509')
  const crypto = webcrypto
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const now = Date.now()
  const hosts = options.hosts ?? []
  const extensions: InstanceType<typeof x509.Extension>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ]
  if (hosts.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(hosts.map((value) => ({type: 'dns' as const, value}))))
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(crypto),
      name: `CN=${options.commonName}`,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 365 * DAY_MS),
      keys,
      signingAlgorithm: algorithm,
      extensions,
    },
    crypto,
  )
  const der = await crypto.subtle.exportKey('pkcs8', keys.privateKey)
  return {cert: cert.toString('pem'), key: x509.PemConverter.encode(der, 'PRIVATE KEY')}
}

// A positive 16-byte serial: the top bit is cleared so DER does not read it as negative.
function randomSerial(crypto: webcrypto.Crypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0]! & 0x7f) | 0x01
  return Buffer.from(bytes).toString('hex')
}
