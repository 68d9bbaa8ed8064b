// Errors that cross the API boundary. Every failure a client can cause is an ApiError carrying the
// HTTP code and Kubernetes `reason`; the API server turns it into a `Status` object in one place
// (apiserver/status.ts) and the CLI maps it to a message and exit code in one place.

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Expired'
  | 'Gone'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'MethodNotAllowed'
  | 'Unauthorized'
  | 'Forbidden'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | ''

export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

/** A request failure with the HTTP code and Kubernetes reason the real API server would use. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

/** What an error names the object by: `deployments.apps "web"`. */
export interface GroupResource {
  group: string
  resource: string
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  })
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  })
}

export function conflict(gr: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  })
}

export function badRequest(message: string, causes?: StatusCause[]): ApiError {
  return new ApiError(400, 'BadRequest', message, causes ? {causes} : undefined)
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return new ApiError(405, 'MethodNotAllowed', message)
}

export function unsupportedMediaType(message: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', message)
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message)
}

export function internalError(message: string, cause?: unknown): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, undefined, {cause})
}

// ---- Field errors (validation), rendered the way k8s.io/apimachinery/pkg/util/validation/field does. ----

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError'

export interface FieldError {
  type: FieldErrorType
  /** Dotted path with indices, as Kubernetes prints it: `spec.template.spec.containers[0].image`. */
  field: string
  value?: unknown
  detail?: string
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** `spec.replicas: Invalid value: -1: must be greater than or equal to 0` */
export function formatFieldError(e: FieldError): string {
  const head = `${e.field}: ${TYPE_TEXT[e.type]}`
  const hasValue = e.type === 'FieldValueInvalid' || e.type === 'FieldValueNotSupported' || e.type === 'FieldValueDuplicate' || e.type === 'FieldValueTypeInvalid'
  const withValue = hasValue && e.value !== undefined ? `${head}: ${renderValue(e.value)}` : head
  return e.detail ? `${withValue}: ${e.detail}` : withValue
}

/** 422 Invalid: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be ...` */
export function invalid(kind: {group: string; kind: string}, name: string, errors: FieldError[]): ApiError {
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind
  const parts = errors.map(formatFieldError)
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    group: kind.group,
    kind: kind.kind,
    causes: errors.map((e) => ({reason: e.type, message: formatFieldError(e).slice(e.field.length + 2), field: e.field})),
  })
}
