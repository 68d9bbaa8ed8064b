// The one place errors become Kubernetes Status objects on the wire.
import type {ServerResponse} from 'node:http'
import {ApiError, internalError} from '../api/errors.js'
import {logger} from '../log.js'
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  StoreUnavailableError,
} from '../store/store.js'
import {StoreCorruptError, StoreFullError} from '../store/storage-errors.js'

export interface StatusObject {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Failure' | 'Success'
  message?: string
  reason?: string
  details?: ApiError['details']
  code: number
}

export function statusFromError(error: unknown): StatusObject {
  const apiError = toApiError(error)
  const status: StatusObject = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: apiError.message, reason: apiError.reason, code: apiError.code}
  if (apiError.details) status.details = apiError.details
  if (!apiError.reason) delete status.reason
  return status
}

/** Map any thrown value to an ApiError; unknown errors become 500 and are logged. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof CompactedError) return new ApiError(410, 'Expired', error.message)
  // A full disk is what etcd's NOSPACE alarm is to kube-apiserver, which answers those writes with 500
  // InternalError ("etcdserver: mvcc: database space exceeded"). Same here, and no Retry-After: the
  // write cannot succeed until someone frees space, so clients should not spin on it.
  if (error instanceof StoreFullError)
    return internalError(`the disk is full: ${error.message}; the write was not applied; free space on that disk and retry`, error)
  if (error instanceof StoreCorruptError) {
    logger('apiserver').error({err: error}, 'store damaged')
    return internalError(`${error.message}; nothing was served from the damaged data`, error)
  }
  if (error instanceof StoreUnavailableError)
    return new ApiError(503, 'ServiceUnavailable', `storage is unavailable: ${error.message}; the write was not applied`, {retryAfterSeconds: 1})
  if (error instanceof KeyExistsError || error instanceof KeyNotFoundError || error instanceof RevisionConflictError)
    return internalError(`unexpected storage race: ${error.message}`, error)
  logger('apiserver').error({err: error}, 'unexpected error while serving a request')
  return internalError(error instanceof Error ? error.message : String(error), error)
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(code, {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private'})
  res.end(text)
}

export function sendError(res: ServerResponse, error: unknown): void {
  const status = statusFromError(error)
  if (status.code === 429 || status.code === 503) res.setHeader('Retry-After', '1')
  sendJson(res, status.code, status)
}

export function successStatus(details: ApiError['details']): Record<string, unknown> {
  return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details}
}
