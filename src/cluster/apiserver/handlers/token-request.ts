// POST serviceaccounts/<name>/token (`kubectl create token`): an authentication.k8s.io/v1 TokenRequest
// in (JSON or protobuf), the same object back with status.token and status.expirationTimestamp, 201.
import {ApiError, badRequest} from '../../api/errors.js'
import {isPlainObject} from '../../api/types.js'
import type {ResourceRequest} from '../handler-context.js'
import {decodeObjectBody, readBody} from '../request-body.js'
import type {TokenRequestSpec} from '../service-account-tokens.js'
import {sendJson} from '../status.js'

const API_VERSION = 'authentication.k8s.io/v1'

export async function handleTokenRequest(rr: ResourceRequest): Promise<void> {
  const tokens = rr.services.serviceAccountTokens
  if (!tokens) throw new ApiError(501, 'InternalError', 'this server issues no service-account tokens')
  const {object} = decodeObjectBody(await readBody(rr.req), rr.req.headers['content-type'])
  if (object.kind !== undefined && object.kind !== 'TokenRequest') throw badRequest(`not a TokenRequest: ${String(object.kind)}`)
  const metadata = isPlainObject(object.metadata) ? object.metadata : {}
  const namespace = rr.info.namespace!
  if (typeof metadata.namespace === 'string' && metadata.namespace && metadata.namespace !== namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
  const spec = (isPlainObject(object.spec) ? object.spec : {}) as TokenRequestSpec
  const result = await tokens.request(namespace, rr.info.name!, spec)
  sendJson(rr.res, 201, {
    kind: 'TokenRequest',
    apiVersion: API_VERSION,
    metadata: {...metadata, name: rr.info.name, namespace, creationTimestamp: null},
    spec: {...result.spec, boundObjectRef: result.spec.boundObjectRef ?? null},
    status: result.status,
  })
}
