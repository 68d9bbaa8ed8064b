// Bearer-token authentication of service-account JWTs (the API server's serviceaccount authenticator,
// pkg/serviceaccount/claims.go Validate): a token counts only while the ServiceAccount it names still
// exists with the same uid and, for a bound token, the pod or secret it is bound to does too.
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {Clock} from '../clock.js'
import {CLOCK_LEEWAY_SECONDS, SERVICE_ACCOUNT_ISSUER, serviceAccountUsername, type ObjectRef, type ServiceAccountSigner} from '../pki/service-account-signer.js'
import type {UserInfo} from './handler-context.js'
import type {ObjectRegistry} from './registry/object-registry.js'

export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts'

const SERVICE_ACCOUNTS = resourceOfKind('ServiceAccount')
const PODS = resourceOfKind('Pod')
const SECRETS = resourceOfKind('Secret')

export interface ServiceAccountAuthnDeps {
  signer: Pick<ServiceAccountSigner, 'verify'>
  registry: Pick<ObjectRegistry, 'tryGet'>
  clock: Clock
  /** The API server's audiences (--api-audiences); a token must name one. Default: the issuer. */
  audiences?: string[]
}

export type TokenAuthenticator = (token: string) => Promise<UserInfo | undefined>

/** Resolves the user a service-account token speaks for, or undefined when the token is not (or no longer) good. */
export function serviceAccountAuthenticator(deps: ServiceAccountAuthnDeps): TokenAuthenticator {
  const audiences = deps.audiences ?? [SERVICE_ACCOUNT_ISSUER]
  return async (token) => {
    const now = deps.clock.now()
    const claims = deps.signer.verify(token, now)
    if (!claims || !claims.aud.some((a) => audiences.includes(a))) return undefined
    const {namespace, serviceaccount, pod, secret} = claims['kubernetes.io']
    // Objects deleted more than the leeway ago no longer vouch for their tokens (graceful deletion aside).
    const alive = (obj: KubeObject | undefined, ref: ObjectRef) => {
      if (!obj || obj.metadata.uid !== ref.uid) return false
      const deleted = obj.metadata.deletionTimestamp
      return !deleted || Date.parse(deleted) >= now.getTime() - CLOCK_LEEWAY_SECONDS * 1000
    }
    if (!alive(await deps.registry.tryGet(SERVICE_ACCOUNTS, namespace, serviceaccount.name), serviceaccount)) return undefined
    if (pod && !alive(await deps.registry.tryGet(PODS, namespace, pod.name), pod)) return undefined
    if (secret && !alive(await deps.registry.tryGet(SECRETS, namespace, secret.name), secret)) return undefined
    return serviceAccountUser(namespace, serviceaccount.name)
  }
}

/** serviceaccount.UserInfo: the username plus the all-service-accounts and per-namespace groups. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    username: serviceAccountUsername(namespace, name),
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`, 'system:authenticated'],
  }
}
