// Field paths and field-error constructors shaped like k8s.io/apimachinery/pkg/util/validation/field,
// so strategies read like the Go validation they mirror: `invalid(child(p, 'replicas'), -1, msg)`.
import type {FieldError} from '../../api/errors.js'

/** `spec` + `replicas` → `spec.replicas`; the root path is the empty string. */
export function child(path: string, ...names: string[]): string {
  return names.reduce((p, n) => (p ? `${p}.${n}` : n), path)
}

/** `spec.containers` + 0 → `spec.containers[0]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`
}

/** `data` + `key.txt` → `data[key.txt]` (field.Path.Key). */
export function key(path: string, k: string): string {
  return `${path}[${k}]`
}

export function required(field: string, detail = ''): FieldError {
  return detail ? {type: 'FieldValueRequired', field, detail} : {type: 'FieldValueRequired', field}
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return {type: 'FieldValueInvalid', field, value: value ?? null, detail}
}

/** field.NotSupported: `supported values: "Always", "Never"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : undefined
  return {type: 'FieldValueNotSupported', field, value: value ?? '', ...(detail ? {detail} : {})}
}

export function duplicate(field: string, value: unknown): FieldError {
  return {type: 'FieldValueDuplicate', field, value}
}

export function forbidden(field: string, detail: string): FieldError {
  return {type: 'FieldValueForbidden', field, detail}
}

/** field.TooLong as the size checks use it: the value itself is not echoed. */
export function tooLong(field: string, maxBytes: number): FieldError {
  return {type: 'FieldValueTooLong', field, detail: `must have at most ${maxBytes} bytes`}
}

/**
 * field.NotFound (`Not found: "data"`). errors.ts has no FieldValueNotFound type yet, so this is
 * reported as Invalid with the detail `not found`; the path and value are the real ones.
 */
export function notFound(field: string, value: unknown): FieldError {
  return {type: 'FieldValueInvalid', field, value, detail: 'not found'}
}

/** Each message from a string validator (name-rules.ts) as an Invalid error on one field. */
export function invalidEach(field: string, value: unknown, messages: readonly string[]): FieldError[] {
  return messages.map((m) => invalid(field, value, m))
}

export const IS_NEGATIVE = 'must be greater than or equal to 0'
export const FIELD_IMMUTABLE = 'field is immutable'

/** ValidateNonnegativeField. */
export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, IS_NEGATIVE)] : []
}

/** ValidateImmutableField (compared as JSON, which is what Semantic.DeepEqual amounts to here). */
export function immutable(next: unknown, old: unknown, field: string): FieldError[] {
  return sameJson(next, old) ? [] : [invalid(field, next, FIELD_IMMUTABLE)]
}

/** Deep equality of JSON values, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => sameJson(v, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)])
  for (const k of keys) if (!sameJson(ao[k], bo[k])) return false
  return true
}

/**
 * Appends `more` to `into`. `into.push(...more)` passes every error as an argument, and a list with
 * ~100k bad entries (a 3 MiB body of `{}`s) overflows the stack: a 500 instead of a 422.
 */
export function pushAll(into: FieldError[], more: readonly FieldError[]): void {
  for (const e of more) into.push(e)
}
