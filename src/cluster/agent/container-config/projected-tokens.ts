// The kubelet's token manager (pkg/kubelet/token): pod-bound service-account tokens for projected
// serviceAccountToken volumes, requested through TokenRequest and cached per pod, audience and
// lifetime. A cached token is handed out again until 80% of its lifetime (or 24 h) has passed, so the
// periodic volume refresh rewrites the file only then, well before the token expires.
import type {Pod, ServiceAccountTokenProjection} from 'kubernetes-types/core/v1.js'
import type {Clock} from '../../clock.js'
import type {ServiceAccountTokens} from '../../apiserver/service-account-tokens.js'

const DEFAULT_EXPIRATION_SECONDS = 3600
const MAX_TTL_BEFORE_REFRESH_MS = 24 * 60 * 60 * 1000
const REFRESH_AT_FRACTION = 0.8

/** What a projected volume needs: the current token for a pod's projection. */
export interface ProjectedTokenSource {
  token(pod: Pod, projection: ServiceAccountTokenProjection): Promise<string>
}

interface Cached {
  token: string
  issuedAtMs: number
  expiresAtMs: number
}

export class ProjectedTokens implements ProjectedTokenSource {
  private readonly cache = new Map<string, Cached>()

  constructor(
    private readonly issuer: Pick<ServiceAccountTokens, 'request'>,
    private readonly clock: Clock,
  ) {}

  async token(pod: Pod, projection: ServiceAccountTokenProjection): Promise<string> {
    const namespace = pod.metadata?.namespace ?? ''
    const serviceAccount = pod.spec?.serviceAccountName || 'default'
    const expirationSeconds = projection.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS
    const audiences = projection.audience ? [projection.audience] : []
    const key = JSON.stringify([pod.metadata?.uid, namespace, serviceAccount, audiences, expirationSeconds])
    const now = this.clock.now().getTime()
    this.dropExpired(now)
    const cached = this.cache.get(key)
    if (cached && !needsRefresh(cached, now)) return cached.token
    const {status} = await this.issuer.request(namespace, serviceAccount, {
      audiences,
      expirationSeconds,
      boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: pod.metadata?.name, uid: pod.metadata?.uid},
    })
    this.cache.set(key, {token: status.token, issuedAtMs: now, expiresAtMs: Date.parse(status.expirationTimestamp)})
    return status.token
  }

  // Tokens of pods that are gone are never asked for again; they leave the cache once expired.
  private dropExpired(now: number): void {
    for (const [key, entry] of this.cache) if (entry.expiresAtMs <= now) this.cache.delete(key)
  }
}

// requiresRefresh: past 80% of the lifetime, or older than 24 h.
function needsRefresh(entry: Cached, now: number): boolean {
  const age = now - entry.issuedAtMs
  return age >= REFRESH_AT_FRACTION * (entry.expiresAtMs - entry.issuedAtMs) || age >= MAX_TTL_BEFORE_REFRESH_MS
}
