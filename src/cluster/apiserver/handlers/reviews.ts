// authorization.k8s.io and authentication.k8s.io self-reviews (`kubectl auth can-i`, `auth whoami`).
// kcluster has no RBAC: it authenticates (client certificates, service-account tokens) but does not
// authorize per user, so every authenticated identity may do everything, and the reviews say so.
import type {KubeObject} from '../../api/types.js'
import {badRequest} from '../../api/errors.js'
import {decodeObjectBody, readBody} from '../request-body.js'
import {sendJson} from '../status.js'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {UserInfo} from '../handler-context.js'

export async function handleReview(kind: string, req: IncomingMessage, res: ServerResponse, user: UserInfo): Promise<void> {
  const {object} = decodeObjectBody(await readBody(req), req.headers['content-type'])
  const review = object as KubeObject & {spec?: Record<string, unknown>}
  // Unauthenticated requests never get here (the server answers them 401).
  const allowed = user.groups.includes('system:authenticated')
  let status: Record<string, unknown>
  switch (kind) {
    case 'SelfSubjectAccessReview':
      if (!review.spec?.resourceAttributes && !review.spec?.nonResourceAttributes)
        throw badRequest('SelfSubjectAccessReview.spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified')
      status = allowed ? {allowed: true, reason: 'kcluster does not authorize per user: every authenticated user may do everything'} : {allowed: false}
      break
    case 'SelfSubjectRulesReview':
      status = {
        resourceRules: allowed ? [{verbs: ['*'], apiGroups: ['*'], resources: ['*']}] : [],
        nonResourceRules: allowed ? [{verbs: ['*'], nonResourceURLs: ['*']}] : [],
        incomplete: false,
      }
      break
    default:
      status = {userInfo: {username: user.username, groups: user.groups}}
  }
  sendJson(res, 201, {...review, metadata: {...(review.metadata ?? {}), creationTimestamp: null}, status})
}
