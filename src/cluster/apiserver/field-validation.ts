// `?fieldValidation=Strict|Warn|Ignore` applied to a decoded body: type errors always fail, unknown
// fields fail, warn, or pass by mode. Warnings go back as `Warning: 299` headers, which kubectl prints.
import type {ServerResponse} from 'node:http'
import type {ResourceType} from '../api/resources.js'
import {badRequest} from '../api/errors.js'
import {validateObject} from './openapi/index.js'

export type FieldValidationMode = 'Strict' | 'Warn' | 'Ignore'

export function fieldValidationMode(query: URLSearchParams): FieldValidationMode {
  const mode = query.get('fieldValidation')
  if (mode === null || mode === '') return 'Warn'
  if (mode === 'Strict' || mode === 'Warn' || mode === 'Ignore') return mode
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${mode}"`)
}

export function checkFields(
  r: ResourceType,
  obj: unknown,
  mode: FieldValidationMode,
  res: ServerResponse,
  extraWarnings: string[] = [],
  operation: 'create' | 'update' | 'patch' = 'create',
): void {
  const {errors, warnings} = validateObject(obj, {group: r.group, version: r.version, kind: r.kind}, mode, {operation})
  if (errors) throw errors
  addWarnings(res, [...extraWarnings, ...warnings])
}

export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (warnings.length === 0) return
  const existing = res.getHeader('Warning')
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : []
  res.setHeader('Warning', [...list, ...warnings.map((w) => `299 - ${headerSafe(JSON.stringify(w))}`)])
}

/**
 * Node refuses header values with characters outside latin1 or control characters (and threw a 500
 * for an unknown field named "ap\uffffVersion"), so everything but printable ASCII is \u-escaped.
 */
function headerSafe(quoted: string): string {
  return quoted.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
