// Turns a URL into what the request is about, like k8s.io/apiserver's RequestInfoFactory:
// /api/v1/namespaces/default/pods/web/log -> {group:'', version:'v1', namespace:'default', resource:'pods', name:'web', subresource:'log'}.

import {ApiError} from '../api/errors.js'

export interface ResourceRequestInfo {
  isResourceRequest: true
  /** 'api' (core group) or 'apis'. */
  prefix: 'api' | 'apis'
  group: string
  version: string
  namespace?: string
  resource?: string
  name?: string
  subresource?: string
  /** get, list, watch, create, update, patch, delete, deletecollection, or the raw method for connect-style subresources. */
  verb: string
  query: URLSearchParams
}

export interface NonResourceRequestInfo {
  isResourceRequest: false
  path: string
  verb: string
  query: URLSearchParams
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
  GET: 'get',
  HEAD: 'get',
}

export function parseRequestInfo(method: string, rawUrl: string): RequestInfo {
  let url: URL
  let parts: string[]
  try {
    url = new URL(rawUrl, 'https://127.0.0.1')
    // Segments from the path as sent: the URL parser resolves `..` and `%2e%2e`, which would turn
    // /api/v1/namespaces/%2e%2e/configmaps into a listing of every namespace.
    parts = rawUrl.split(/[?#]/, 1)[0]!.split('/').filter((p) => p !== '').map(decodeURIComponent)
  } catch (cause) {
    // A bad escape such as `%ZZ` is the client's error (Go's url.Parse refuses it), not a 500.
    throw new ApiError(400, 'BadRequest', `the request URL could not be parsed: ${(cause as Error).message}`, undefined, {cause})
  }
  if (parts.some((p) => p === '.' || p === '..')) throw new ApiError(400, 'BadRequest', `the request path may not contain "." or ".." segments: ${rawUrl.split(/[?#]/, 1)[0]}`)
  const query = url.searchParams
  const verb = METHOD_VERBS[method] ?? method.toLowerCase()
  const prefix = parts[0]
  if (prefix !== 'api' && prefix !== 'apis') return {isResourceRequest: false, path: url.pathname, verb, query}
  let rest: string[]
  let group = ''
  let version: string
  if (prefix === 'api') {
    if (parts.length < 2) return {isResourceRequest: false, path: url.pathname, verb, query}
    version = parts[1]
    rest = parts.slice(2)
  } else {
    if (parts.length < 3) return {isResourceRequest: false, path: url.pathname, verb, query}
    group = parts[1]
    version = parts[2]
    rest = parts.slice(3)
  }
  if (rest.length === 0) return {isResourceRequest: false, path: url.pathname, verb, query}

  const info: ResourceRequestInfo = {isResourceRequest: true, prefix, group, version, verb, query}
  // /namespaces/{ns}/{resource}... is a namespaced request; /namespaces/{name}[/status|finalize] is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    info.namespace = rest[1]
    rest = rest.slice(2)
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    info.namespace = undefined
  }
  info.resource = rest[0]
  info.name = rest[1]
  info.subresource = rest[2]
  if (rest.length > 3) info.subresource = rest.slice(2).join('/')
  if (info.resource === 'namespaces' && info.name) info.namespace = info.name

  if (!info.name) {
    if (method === 'GET' || method === 'HEAD') info.verb = isWatch(query) ? 'watch' : 'list'
    else if (method === 'DELETE') info.verb = 'deletecollection'
  } else if ((method === 'GET' || method === 'HEAD') && isWatch(query)) {
    info.verb = 'watch'
  }
  return info
}

export function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch')
  return w === 'true' || w === '1'
}
