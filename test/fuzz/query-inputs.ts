// Query strings a list or watch should refuse: malformed label selectors, unsupported or malformed
// field selectors, and junk in the paging and watch parameters.
import fc from 'fast-check'
import {CM_COLLECTION, FUZZ_NAMESPACE, POD_COLLECTION} from './body-inputs.js'
import type {FuzzRequest} from './fuzz-http.js'

const q = encodeURIComponent

/** Selector-looking text from the grammar's own tokens; some of it parses, so success is allowed. */
const selectorSoup = fc
  .array(fc.constantFrom('a', 'app', 'x/y', 'a.b/c', '-', '_', '=', '==', '!=', '!', ',', ' ', 'in', 'notin', '(', ')', '<', '>', '1', 'gt', 'lt', '\\', '/', '%', '\u00e9', '\u0000'), {maxLength: 12})
  .map((parts) => parts.join(''))

/** Selectors the label grammar rejects, each for a different reason. */
export const BAD_LABEL_SELECTORS = [
  'a in (b',
  'a in b)',
  'in (a)',
  '=a',
  'a=b=c',
  'a,,b',
  'a!',
  'a notin',
  '!a=b',
  'a=' + 'v'.repeat(64),
  'k'.repeat(64) + '=v',
  '-a=b',
  'a/b/c=d',
  'a>',
  'a<b',
  'a gt 1',
  '(',
  ')',
  'a=b c',
]

export const BAD_FIELD_SELECTORS = ['metadata.nam=x', 'spec.foo=bar', '=x', 'a', 'metadata.name', 'metadata.name=a,b', 'metadata.name=x=y=', 'metadata.name~x']

/** Random unknown field names: never one of the supported field labels. */
const unknownField = fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/).filter((f) => !['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'].includes(f))

export const labelSelectorRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.tuple(fc.constantFrom(...BAD_LABEL_SELECTORS), fc.boolean()).map(([s, watch]) => ({method: 'GET', path: `${POD_COLLECTION}?labelSelector=${q(s)}${watch ? '&watch=true' : ''}`})),
  selectorSoup.map((s) => ({method: 'GET', path: `${CM_COLLECTION}?labelSelector=${q(s)}`, maySucceed: true})),
)

export const fieldSelectorRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.tuple(fc.constantFrom(...BAD_FIELD_SELECTORS), fc.boolean()).map(([s, watch]) => ({method: 'GET', path: `${POD_COLLECTION}?fieldSelector=${q(s)}${watch ? '&watch=true' : ''}`})),
  fc.tuple(unknownField, fc.string({maxLength: 10}), fc.constantFrom('=', '==', '!=')).map(([f, v, op]) => ({method: 'GET', path: `/api/v1/pods?fieldSelector=${q(`${f}${op}${v}`)}`})),
  selectorSoup.map((s) => ({method: 'GET', path: `/api/v1/namespaces/${FUZZ_NAMESPACE}/events?fieldSelector=${q(s)}`, maySucceed: true})),
)

/** Junk in limit/continue/resourceVersion/timeoutSeconds on a plain list: refuse or ignore, never 5xx. */
export const pagingRequests: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom('limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'timeoutSeconds', 'fieldValidation', 'dryRun', 'propagationPolicy'), fc.oneof(fc.string({maxLength: 40}), fc.constantFrom('-1', '0', '1e309', '99999999999999999999', 'NaN', '%00', 'eyJ9')))
  .map(([param, value]) => ({method: 'GET', path: `${CM_COLLECTION}?${param}=${q(value)}`, maySucceed: true}))
