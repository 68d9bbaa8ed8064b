// The service-account token signer (pkg/serviceaccount/jwt.go + claims.go): ES256 JWTs whose claims say
// which ServiceAccount (and, for bound tokens, which pod or secret) they speak for. One EC P-256 key per
// cluster, kept beside the cluster certificates (kubeadm's sa.key) so tokens survive restarts.
import {createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import type {Clock} from '../clock.js'
import {writeFileAtomic} from '../lifecycle/atomic-write.js'

/** The issuer (and default API audience) a cluster with the default --service-account-issuer uses. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local'
export const SERVICE_ACCOUNT_KEY_FILE = 'sa.key'
/** go-jose's DefaultLeeway, which the API server allows on exp and nbf for clock skew. */
export const CLOCK_LEEWAY_SECONDS = 60

export interface ObjectRef {
  name: string
  uid: string
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string
  serviceaccount: ObjectRef
  pod?: ObjectRef
  secret?: ObjectRef
}

export interface ServiceAccountClaims {
  iss: string
  sub: string
  aud: string[]
  exp: number
  iat: number
  nbf: number
  jti: string
  'kubernetes.io': KubernetesClaim
}

export interface TokenSubject {
  namespace: string
  serviceAccount: ObjectRef
  /** A pod-bound token dies with its pod. */
  pod?: ObjectRef
  /** A secret-bound token dies with its secret. */
  secret?: ObjectRef
  audiences: string[]
  expirationSeconds: number
  /** Default: the signer's clock. */
  now?: Date
}

export interface ServiceAccountSigner {
  readonly issuer: string
  /** A signed JWT for the subject. */
  issue(subject: TokenSubject): string
  /** The claims of a token this signer issued that is valid at `now`; undefined for anything else (never throws). */
  verify(token: string, now?: Date): ServiceAccountClaims | undefined
}

export class ServiceAccountKeyError extends Error {
  override name = 'ServiceAccountKeyError'
  readonly code = 'ServiceAccountKey'
}

/** The signer whose key is `<dir>/sa.key`, generating the key (mode 0600) the first time. */
export async function ensureServiceAccountSigner(dir: string, clock: Clock): Promise<ServiceAccountSigner> {
  const file = path.join(dir, SERVICE_ACCOUNT_KEY_FILE)
  let pem: string
  try {
    pem = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ServiceAccountKeyError(`read ${file}`, {cause: error})
    pem = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString()
    await writeFileAtomic(file, pem, 0o600)
  }
  return serviceAccountSigner(pem, clock)
}

/** A signer over a PKCS#8 EC P-256 private key in PEM. */
export function serviceAccountSigner(privateKeyPem: string, clock: Clock, issuer = SERVICE_ACCOUNT_ISSUER): ServiceAccountSigner {
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(privateKeyPem)
  } catch (error) {
    throw new ServiceAccountKeyError('the service-account key is not a PEM private key', {cause: error})
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new ServiceAccountKeyError('the service-account key must be an EC P-256 key')
  const publicKey = createPublicKey(privateKey)
  const kid = keyId(publicKey)
  const header = encodeJson({alg: 'ES256', kid})

  return {
    issuer,
    issue(subject) {
      const now = Math.floor((subject.now ?? clock.now()).getTime() / 1000)
      const kubernetes: KubernetesClaim = {namespace: subject.namespace, serviceaccount: {...subject.serviceAccount}}
      if (subject.pod) kubernetes.pod = {...subject.pod}
      else if (subject.secret) kubernetes.secret = {...subject.secret}
      const claims: ServiceAccountClaims = {
        iss: issuer,
        sub: serviceAccountUsername(subject.namespace, subject.serviceAccount.name),
        aud: [...subject.audiences],
        exp: now + subject.expirationSeconds,
        iat: now,
        nbf: now,
        jti: randomUUID(),
        'kubernetes.io': kubernetes,
      }
      const input = `${header}.${encodeJson(claims)}`
      const signature = sign('sha256', Buffer.from(input), {key: privateKey, dsaEncoding: 'ieee-p1363'})
      return `${input}.${signature.toString('base64url')}`
    },
    verify(token, at) {
      if (typeof token !== 'string') return undefined
      const parts = token.split('.')
      if (parts.length !== 3) return undefined
      const [h, p, s] = parts as [string, string, string]
      const head = decodeJson(h)
      if (head?.alg !== 'ES256') return undefined
      let good = false
      try {
        good = verify('sha256', Buffer.from(`${h}.${p}`), {key: publicKey, dsaEncoding: 'ieee-p1363'}, Buffer.from(s, 'base64url'))
      } catch {
        return undefined
      }
      if (!good) return undefined
      const claims = asClaims(decodeJson(p))
      if (!claims || claims.iss !== issuer) return undefined
      const now = Math.floor((at ?? clock.now()).getTime() / 1000)
      if (now > claims.exp + CLOCK_LEEWAY_SECONDS || now < claims.nbf - CLOCK_LEEWAY_SECONDS) return undefined
      return claims
    },
  }
}

/** `system:serviceaccount:<namespace>:<name>` (serviceaccount.MakeUsername). */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`
}

// keyIDFromPublicKey: the unpadded base64url SHA-256 of the DER public key, so verifiers can pick a key.
function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({type: 'spki', format: 'der'})).digest('base64url')
}

const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const isRef = (v: unknown): v is ObjectRef =>
  Boolean(v) && typeof v === 'object' && typeof (v as ObjectRef).name === 'string' && typeof (v as ObjectRef).uid === 'string'

// Shape checks on a signed payload: only this signer writes them, but a key reused elsewhere must not crash us.
function asClaims(c: Record<string, unknown> | undefined): ServiceAccountClaims | undefined {
  if (!c) return undefined
  const numbers = ['exp', 'iat', 'nbf'].every((k) => typeof c[k] === 'number')
  const aud = typeof c.aud === 'string' ? [c.aud] : c.aud
  const k8s = c['kubernetes.io'] as Partial<KubernetesClaim> | undefined
  if (!numbers || typeof c.iss !== 'string' || typeof c.sub !== 'string' || !Array.isArray(aud) || !aud.every((a) => typeof a === 'string')) return undefined
  if (!k8s || typeof k8s !== 'object' || typeof k8s.namespace !== 'string' || !isRef(k8s.serviceaccount)) return undefined
  if ((k8s.pod !== undefined && !isRef(k8s.pod)) || (k8s.secret !== undefined && !isRef(k8s.secret))) return undefined
  if (c.sub !== serviceAccountUsername(k8s.namespace, k8s.serviceaccount.name)) return undefined
  return {...(c as unknown as ServiceAccountClaims), aud: aud as string[]}
}
