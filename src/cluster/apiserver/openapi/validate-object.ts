// Request-body checks the real API server makes while decoding, before any semantic validation:
// wrong JSON types always fail (400), unknown fields fail, warn or pass by `fieldValidation`.
// Message shapes (k8s.io/apiserver endpoints/handlers):
//   create/update: `Deployment in version "v1" cannot be handled as a Deployment: <decoder error>`
//   patch:         strict errors bare (`strict decoding error: unknown field "spec.foo"`), type errors
//                  as a 422 Invalid on the field `patch`.
import {ApiError, badRequest, invalid} from '../../api/errors.js'
import {goDecode} from './go-decode.js'
import {componentSchemas, schemaNameOf, type GroupVersionKind} from './schemas.js'

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

export interface ValidateOptions {
  /** A PATCH result is reported in the patch handler's words rather than the create/update decoder's. */
  operation?: 'create' | 'update' | 'patch'
}

export interface ValidationResult {
  errors: ApiError | undefined
  /** Texts for `Warning: 299 - "<text>"` headers (Warn mode). */
  warnings: string[]
}

/**
 * Decodes `obj` as the kind `gvk` the way the API server does and reports what it would reject or warn
 * about. Unknown fields are removed from `obj` in place, as the real decoder drops them. Kinds without
 * a generated schema (custom resources) pass unchecked.
 */
export function validateObject(obj: unknown, gvk: GroupVersionKind, mode: FieldValidation, options: ValidateOptions = {}): ValidationResult {
  const name = schemaNameOf(gvk)
  if (!name) return {errors: undefined, warnings: []}
  const result = goDecode(obj, name, componentSchemas()[name], mode !== 'Ignore')
  const patch = options.operation === 'patch'
  const prefix = `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: `
  if (result.error) {
    if (patch) {
      return {errors: invalid({group: '', kind: ''}, '', [{type: 'FieldValueInvalid', field: 'patch', value: JSON.stringify(obj), detail: result.error}]), warnings: []}
    }
    return {errors: badRequest(`${prefix}${result.error}`), warnings: []}
  }
  if (result.unknownFields.length === 0) return {errors: undefined, warnings: []}
  if (mode === 'Warn') return {errors: undefined, warnings: result.unknownFields}
  const strict = `strict decoding error: ${result.unknownFields.join(', ')}`
  return {errors: badRequest(patch ? strict : `${prefix}${strict}`), warnings: []}
}
