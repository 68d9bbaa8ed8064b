// k8s.io/api/authorization/v1 and authentication/v1 generated.proto: the review and token kinds that
// `kubectl auth can-i`, `auth whoami` and `create token` send.
import {bool, int64, KEEP, list, map, msg, PTR, str, strList, type SchemaRegistry} from './schema.js'

const metadata = msg('metadata', 'meta.ObjectMeta')

export const AUTH_SCHEMAS: SchemaRegistry = {
  'authz.SelfSubjectAccessReview': {
    1: metadata,
    2: msg('spec', 'authz.SelfSubjectAccessReviewSpec'),
    3: msg('status', 'authz.SubjectAccessReviewStatus'),
  },
  'authz.SelfSubjectAccessReviewSpec': {
    1: msg('resourceAttributes', 'authz.ResourceAttributes'),
    2: msg('nonResourceAttributes', 'authz.NonResourceAttributes'),
  },
  'authz.ResourceAttributes': {
    1: str('namespace'),
    2: str('verb'),
    3: str('group'),
    4: str('version'),
    5: str('resource'),
    6: str('subresource'),
    7: str('name'),
    8: msg('fieldSelector', 'authz.FieldSelectorAttributes'),
    9: msg('labelSelector', 'authz.LabelSelectorAttributes'),
  },
  'authz.NonResourceAttributes': {1: str('path'), 2: str('verb')},
  'authz.FieldSelectorAttributes': {1: str('rawSelector'), 2: list('requirements', 'authz.FieldSelectorRequirement')},
  'authz.FieldSelectorRequirement': {1: str('key', KEEP), 2: str('operator', KEEP), 3: strList('values')},
  'authz.LabelSelectorAttributes': {1: str('rawSelector'), 2: list('requirements', 'meta.LabelSelectorRequirement')},
  'authz.SubjectAccessReviewStatus': {1: bool('allowed', KEEP), 4: bool('denied'), 2: str('reason'), 3: str('evaluationError')},
  'authz.SelfSubjectRulesReview': {
    1: metadata,
    2: msg('spec', 'authz.SelfSubjectRulesReviewSpec'),
    3: msg('status', 'authz.SubjectRulesReviewStatus'),
  },
  'authz.SelfSubjectRulesReviewSpec': {1: str('namespace')},
  'authz.SubjectRulesReviewStatus': {
    1: list('resourceRules', 'authz.ResourceRule'),
    2: list('nonResourceRules', 'authz.NonResourceRule'),
    3: bool('incomplete', KEEP),
    4: str('evaluationError'),
  },
  'authz.ResourceRule': {1: strList('verbs'), 2: strList('apiGroups'), 3: strList('resources'), 4: strList('resourceNames')},
  'authz.NonResourceRule': {1: strList('verbs'), 2: strList('nonResourceURLs')},

  'authn.SelfSubjectReview': {1: metadata, 2: msg('status', 'authn.SelfSubjectReviewStatus')},
  'authn.SelfSubjectReviewStatus': {1: msg('userInfo', 'authn.UserInfo')},
  'authn.UserInfo': {1: str('username'), 2: str('uid'), 3: strList('groups'), 4: map('extra', 'ExtraValue')},
  'authn.TokenRequest': {1: metadata, 2: msg('spec', 'authn.TokenRequestSpec'), 3: msg('status', 'authn.TokenRequestStatus')},
  'authn.TokenRequestSpec': {1: strList('audiences'), 4: int64('expirationSeconds', PTR), 3: msg('boundObjectRef', 'authn.BoundObjectReference')},
  // The .proto names these aPIVersion and uID; the JSON names are apiVersion and uid.
  'authn.BoundObjectReference': {1: str('kind'), 2: str('apiVersion'), 3: str('name'), 4: str('uid')},
  'authn.TokenRequestStatus': {1: str('token', KEEP), 2: msg('expirationTimestamp', 'Time', KEEP)},
}
