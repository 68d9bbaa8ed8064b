// TLS sections of served Ingresses -> certificates for the HTTPS listener. A section's Secret must be a
// kubernetes.io/tls Secret in the Ingress's namespace holding a PEM certificate (tls.crt) and the
// matching private key (tls.key). A section whose Secret is missing or unusable is left out, so its
// hosts get the default certificate (as ingress-nginx does), and reported as a problem on its Ingress.
import {createPrivateKey, X509Certificate} from 'node:crypto'
import type {Secret} from 'kubernetes-types/core/v1.js'
import type {IngressRef, TlsRef} from '../ingress/ingress-routes.js'
import type {IngressTlsEntry, PemPair} from '../ingress/ingress-tls.js'

export const TLS_SECRET_TYPE = 'kubernetes.io/tls'

export interface TlsProblem {
  source: IngressRef
  reason: 'MissingTLSSecret' | 'InvalidTLSSecret'
  message: string
}

export type SecretCheck = {pair: PemPair} | {error: string}

/** The certificate and key of a TLS Secret, checked: both parse and the key belongs to the certificate. */
export function tlsPairFromSecret(secret: Secret): SecretCheck {
  if (secret.type !== TLS_SECRET_TYPE) return {error: `is of type ${JSON.stringify(secret.type ?? 'Opaque')}, not ${TLS_SECRET_TYPE}`}
  const cert = decoded(secret, 'tls.crt')
  const key = decoded(secret, 'tls.key')
  if (!cert) return {error: 'has no tls.crt'}
  if (!key) return {error: 'has no tls.key'}
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(cert)
  } catch (error) {
    return {error: `has a tls.crt that is not a PEM certificate: ${messageOf(error)}`}
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(key))) return {error: 'has a tls.key that does not match its tls.crt'}
  } catch (error) {
    return {error: `has a tls.key that is not a PEM private key: ${messageOf(error)}`}
  }
  return {pair: {cert, key}}
}

/** Parsed Secrets by uid and resourceVersion: a rebuild re-checks only Secrets that changed. */
export class SecretChecks {
  private readonly checks = new Map<string, {version: string; check: SecretCheck}>()

  check(secret: Secret): SecretCheck {
    const id = secret.metadata?.uid ?? `${secret.metadata?.namespace}/${secret.metadata?.name}`
    const version = secret.metadata?.resourceVersion ?? ''
    const cached = this.checks.get(id)
    if (cached && cached.version === version) return cached.check
    const check = tlsPairFromSecret(secret)
    // Bounded by the TLS Secrets in use: prune() after each rebuild drops the others.
    this.checks.set(id, {version, check})
    return check
  }

  /** Forget Secrets not looked at since the last prune. */
  prune(keep: ReadonlySet<string>): void {
    for (const id of this.checks.keys()) if (!keep.has(id)) this.checks.delete(id)
  }
}

/**
 * The TLS entries of a route table's sections in its precedence order, and the problems of the sections
 * left out. `getSecret(namespace, name)` reads the informer cache.
 */
export function tlsEntries(
  sections: readonly TlsRef[],
  getSecret: (namespace: string, name: string) => Secret | undefined,
  checks: SecretChecks = new SecretChecks(),
): {entries: IngressTlsEntry[]; problems: TlsProblem[]} {
  const entries: IngressTlsEntry[] = []
  const problems: TlsProblem[] = []
  const used = new Set<string>()
  for (const section of sections) {
    const secret = getSecret(section.namespace, section.secretName)
    const name = `${section.namespace}/${section.secretName}`
    if (!secret) {
      problems.push({source: section.source, reason: 'MissingTLSSecret', message: `secret ${name} not found; serving the default certificate for ${hostList(section.hosts)}`})
      continue
    }
    used.add(secret.metadata?.uid ?? name)
    const check = checks.check(secret)
    if ('error' in check) {
      problems.push({source: section.source, reason: 'InvalidTLSSecret', message: `secret ${name} ${check.error}; serving the default certificate for ${hostList(section.hosts)}`})
      continue
    }
    entries.push({hosts: section.hosts, cert: check.pair.cert, key: check.pair.key})
  }
  checks.prune(used)
  return {entries, problems}
}

// Secret.data holds base64; a Secret written with stringData is stored with data already (the API
// server merges it), but a hand-made object in a test may still carry stringData.
function decoded(secret: Secret, key: string): string | undefined {
  const data = secret.data?.[key]
  if (data) return Buffer.from(data, 'base64').toString('utf8')
  return secret.stringData?.[key] || undefined
}

function hostList(hosts: readonly string[]): string {
  return hosts.length > 0 ? hosts.join(', ') : 'every host'
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
