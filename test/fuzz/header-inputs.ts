// Wrong Content-Type and Accept headers on otherwise valid requests.
import fc from 'fast-check'
import {CM_COLLECTION, DEPLOY_COLLECTION} from './body-inputs.js'
import type {FuzzRequest} from './fuzz-http.js'

const ACCEPTED_BODY_TYPES = new Set(['', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', '*/*'])

const mediaTypeText = fc.oneof(
  fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'application/x-www-form-urlencoded', 'application/cbor', 'application/vnd.kubernetes.protobuf;stream=watch', ';;;', 'application/', '/json'),
  fc.stringMatching(/^[a-z*]{1,10}\/[a-z0-9.+*-]{1,20}(;[a-z]{1,5}=[a-z0-9]{0,5})?$/),
)

const validCm = (name: string) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {k: 'v'}})

/** A valid ConfigMap under a Content-Type nobody decodes: 415 (a parameterised JSON type is still JSON, so success is allowed there). */
export const contentTypeRequests: fc.Arbitrary<FuzzRequest> = mediaTypeText.map((contentType) => {
  const bare = contentType.split(';')[0]!.trim().toLowerCase()
  return {method: 'POST', path: CM_COLLECTION, opts: {body: validCm(`ct-${bare.length}`), contentType}, maySucceed: ACCEPTED_BODY_TYPES.has(bare)}
})

/** Any Accept on a GET: the server may pick JSON or refuse with 406, never fail. */
export const acceptRequests: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom(CM_COLLECTION, `${DEPLOY_COLLECTION}`, '/api/v1', '/apis', '/openapi/v3'), fc.oneof(mediaTypeText, fc.string({maxLength: 60}).filter((s) => /^[\x21-\x7e ]*$/.test(s))))
  .map(([path, accept]) => ({method: 'GET', path, opts: {accept: accept || 'x/y'}, maySucceed: true}))

/** Headers a client should not send: duplicated/garbled length, bogus transfer and content encodings. */
export const fixedHeaderRequests: FuzzRequest[] = [
  {method: 'POST', path: CM_COLLECTION, opts: {body: validCm('enc'), headers: {'Content-Encoding': 'gzip'}}, maySucceed: true},
  {method: 'POST', path: CM_COLLECTION, opts: {body: validCm('charset'), contentType: 'application/json; charset=utf-16'}, maySucceed: true},
  {method: 'POST', path: CM_COLLECTION, opts: {body: 'x', contentType: 'application/json', headers: {Expect: '100-continue'}}},
  {method: 'POST', path: CM_COLLECTION, opts: {body: validCm('noct'), contentType: null}, maySucceed: true},
  {method: 'PUT', path: `${CM_COLLECTION}/does-not-exist`, opts: {body: '{', contentType: 'application/json'}},
  {method: 'DELETE', path: `${CM_COLLECTION}/does-not-exist`, opts: {body: '{"propagationPolicy": 5}', contentType: 'application/json'}},
  {method: 'DELETE', path: `${CM_COLLECTION}/does-not-exist`, opts: {body: '[', contentType: 'application/json'}},
  {method: 'BREW', path: CM_COLLECTION},
  {method: 'GET', path: '/api/v1/namespaces/fuzz/configmaps/%ZZ'},
  // WHATWG URL parsing turns %2e%2e into a dot segment, which once listed every namespace: now a 400.
  {method: 'GET', path: '/api/v1/namespaces/%2e%2e/configmaps'},
  {method: 'GET', path: '/api/v1/namespaces/default/../configmaps'},
  {method: 'GET', path: '/apis/%00/v1/things'},
]
