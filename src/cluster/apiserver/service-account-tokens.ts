// TokenRequest (pkg/registry/core/serviceaccount/storage/token.go): a signed token for an existing
// ServiceAccount, optionally bound to a Pod or Secret of its namespace. Served on
// serviceaccounts/<name>/token and used by the node agent for projected serviceAccountToken volumes.
import {badRequest, conflict, invalid, notFound, type FieldError} from '../api/errors.js'
import {resourceOfKind} from '../api/resources.js'
import {rfc3339, type Clock} from '../clock.js'
import {SERVICE_ACCOUNT_ISSUER, type ObjectRef, type ServiceAccountSigner} from '../pki/service-account-signer.js'
import type {ObjectRegistry} from './registry/object-registry.js'

export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600
const MIN_TOKEN_SECONDS = 10 * 60
const MAX_TOKEN_SECONDS = 2 ** 32

const SERVICE_ACCOUNTS = resourceOfKind('ServiceAccount')
const PODS = resourceOfKind('Pod')
const SECRETS = resourceOfKind('Secret')

export interface BoundObjectReference {
  kind?: string
  apiVersion?: string
  name?: string
  uid?: string
}

export interface TokenRequestSpec {
  audiences?: string[]
  expirationSeconds?: number
  boundObjectRef?: BoundObjectReference | null
}

export interface TokenRequestStatus {
  token: string
  expirationTimestamp: string
}

export interface ServiceAccountTokensDeps {
  signer: Pick<ServiceAccountSigner, 'issue'>
  registry: Pick<ObjectRegistry, 'tryGet'>
  clock: Clock
  /** The API server's audiences, given to tokens that ask for none. Default: the issuer. */
  audiences?: string[]
}

/** What TokenRequest needs: create a token (the spec comes back defaulted). */
export interface ServiceAccountTokens {
  request(namespace: string, serviceAccountName: string, spec: TokenRequestSpec): Promise<{spec: TokenRequestSpec; status: TokenRequestStatus}>
}

export function serviceAccountTokens(deps: ServiceAccountTokensDeps): ServiceAccountTokens {
  const apiAudiences = deps.audiences ?? [SERVICE_ACCOUNT_ISSUER]
  return {
    async request(namespace, name, requested) {
      const spec: TokenRequestSpec = {
        ...requested,
        audiences: requested.audiences?.length ? [...requested.audiences] : [...apiAudiences],
        expirationSeconds: requested.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS,
      }
      validate(spec)
      const sa = await deps.registry.tryGet(SERVICE_ACCOUNTS, namespace, name)
      if (!sa) throw notFound({group: '', resource: 'serviceaccounts'}, name)
      const bound = spec.boundObjectRef ? await boundObject(deps.registry, namespace, name, spec.boundObjectRef) : {}
      const now = deps.clock.now()
      const token = deps.signer.issue({
        namespace,
        serviceAccount: {name, uid: sa.metadata.uid!},
        ...bound,
        audiences: spec.audiences!,
        expirationSeconds: spec.expirationSeconds!,
        now,
      })
      const expires = new Date(Math.floor(now.getTime() / 1000) * 1000 + spec.expirationSeconds! * 1000)
      return {spec, status: {token, expirationTimestamp: rfc3339(expires)}}
    },
  }
}

// ValidateTokenRequest: the lifetime bounds (the API server then may shorten, never lengthen).
function validate(spec: TokenRequestSpec): void {
  const seconds = spec.expirationSeconds
  const errors: FieldError[] = []
  const field = 'spec.expirationSeconds'
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) errors.push({type: 'FieldValueInvalid', field, value: seconds, detail: 'must be an integer'})
  else if (seconds < MIN_TOKEN_SECONDS) errors.push({type: 'FieldValueInvalid', field, value: seconds, detail: 'may not specify a duration less than 10 minutes'})
  else if (seconds > MAX_TOKEN_SECONDS) errors.push({type: 'FieldValueInvalid', field, value: seconds, detail: 'may not specify a duration larger than 2^32 seconds'})
  if (!Array.isArray(spec.audiences) || !spec.audiences.every((a) => typeof a === 'string'))
    errors.push({type: 'FieldValueInvalid', field: 'spec.audiences', value: spec.audiences, detail: 'must be a list of strings'})
  if (errors.length > 0) throw invalid({group: 'authentication.k8s.io', kind: 'TokenRequest'}, '', errors)
}

async function boundObject(registry: Pick<ObjectRegistry, 'tryGet'>, namespace: string, saName: string, ref: BoundObjectReference): Promise<{pod?: ObjectRef; secret?: ObjectRef}> {
  const group = (ref.apiVersion ?? '').includes('/') ? ref.apiVersion!.split('/')[0] : ''
  const name = ref.name ?? ''
  let found: {uid: string; bound: {pod?: ObjectRef; secret?: ObjectRef}}
  if (group === '' && ref.kind === 'Pod') {
    const pod = await registry.tryGet(PODS, namespace, name)
    if (!pod) throw notFound({group: '', resource: 'pods'}, name)
    if ((pod.spec as {serviceAccountName?: string} | undefined)?.serviceAccountName !== saName)
      throw badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`)
    found = {uid: pod.metadata.uid!, bound: {pod: {name, uid: pod.metadata.uid!}}}
  } else if (group === '' && ref.kind === 'Secret') {
    const secret = await registry.tryGet(SECRETS, namespace, name)
    if (!secret) throw notFound({group: '', resource: 'secrets'}, name)
    found = {uid: secret.metadata.uid!, bound: {secret: {name, uid: secret.metadata.uid!}}}
  } else {
    throw badRequest(`cannot bind token to object of type ${group}/${ref.apiVersion?.split('/').pop() ?? ''}, Kind=${ref.kind ?? ''}`)
  }
  if (ref.uid && ref.uid !== found.uid)
    throw conflict({group, resource: ref.kind!}, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`)
  return found.bound
}
