// The HTTPS listener's default certificate, served to names no TLS Secret covers. It is RSA on purpose:
// Node's SNICallback installs the chosen certificate into the slot of its key type only, so with an
// ECDSA default an RSA site certificate (the usual `openssl req -newkey rsa` or cert-manager one) is
// never served to a client that accepts ECDSA; the ECDSA default in the other slot wins the handshake.
// With an RSA default, an RSA site certificate replaces it and an ECDSA one is preferred over it.
import {webcrypto} from 'node:crypto'
import type {PemPair} from '../ingress/ingress-tls.js'

const ALGORITHM = {name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'} as const
const DAY_MS = 24 * 60 * 60 * 1000

/** ingress-nginx's name for its default certificate, so users recognise it. */
export const FAKE_CERTIFICATE_NAME = 'Kubernetes Ingress Controller Fake Certificate'

/** A self-signed RSA 2048 certificate for `hosts`, valid a year from yesterday. */
export async function createRsaSelfSignedCertificate(options: {commonName: string; hosts?: readonly string[]}): Promise<PemPair> {
  const x509 = await import('@peculiar/x509')
  const crypto = webcrypto
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])
  const now = Date.now()
  const hosts = options.hosts ?? []
  const extensions: InstanceType<typeof x509.Extension>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ]
  if (hosts.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(hosts.map((value) => ({type: 'dns' as const, value}))))
  const serial = crypto.getRandomValues(new Uint8Array(16))
  serial[0] = (serial[0]! & 0x7f) | 0x01 // positive in DER
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(serial).toString('hex'),
      name: `CN=${options.commonName}`,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 365 * DAY_MS),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions,
    },
    crypto,
  )
  const der = await crypto.subtle.exportKey('pkcs8', keys.privateKey)
  return {cert: cert.toString('pem'), key: x509.PemConverter.encode(der, 'PRIVATE KEY')}
}

/** The listener's default certificate. */
export function createDefaultCertificate(): Promise<PemPair> {
  return createRsaSelfSignedCertificate({commonName: FAKE_CERTIFICATE_NAME, hosts: ['ingress.local']})
}
