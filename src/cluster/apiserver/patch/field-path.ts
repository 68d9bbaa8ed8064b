// Path elements of structured-merge-diff (sigs.k8s.io/structured-merge-diff/fieldpath): how one step into an
// object is named in managedFields (`f:name`, `k:{"name":"nginx"}`, `v:"x"`, `i:0`), how steps sort, and how a
// path prints in conflict messages (`.spec.template.spec.containers[name="nginx"].image`).
import {isPlainObject} from '../../api/types.js'
import {compareUtf8, goJson, goJsonString} from './go-json.js'

export interface KeyField {
  readonly name: string
  readonly value: unknown
}

/** Exactly one of field / key / value / index, like fieldpath.PathElement. */
export type PathElement =
  | {readonly field: string}
  | {readonly key: readonly KeyField[]}
  | {readonly value: unknown}
  | {readonly index: number}

export type FieldPath = readonly PathElement[]

export class FieldPathError extends Error {
  override name = 'FieldPathError'
  readonly code = 'InvalidFieldPath'
}

export const fieldElement = (name: string): PathElement => ({field: name})
export const valueElement = (value: unknown): PathElement => ({value})

/** A list-map key; the fields are kept sorted by name, as the real server does. */
export function keyElement(fields: Record<string, unknown>): PathElement {
  const key = Object.keys(fields)
    .sort(compareUtf8)
    .map((name) => ({name, value: fields[name]}))
  return {key}
}

// value.Compare: numbers < strings < booleans < lists < maps < null, then by content.
function typeRank(v: unknown): number {
  if (typeof v === 'number') return 0
  if (typeof v === 'string') return 1
  if (typeof v === 'boolean') return 2
  if (Array.isArray(v)) return 3
  if (isPlainObject(v)) return 4
  return 5
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b)
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i])
      if (c !== 0) return c
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
  }
  if (isPlainObject(a) && isPlainObject(b)) return compareKeyFields(keyFieldsOf(a), keyFieldsOf(b))
  return 0
}

function keyFieldsOf(o: Record<string, unknown>): KeyField[] {
  return (keyElement(o) as {key: KeyField[]}).key
}

function compareKeyFields(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const byName = compareUtf8(a[i].name, b[i].name)
    if (byName !== 0) return byName
    const byValue = compareValues(a[i].value, b[i].value)
    if (byValue !== 0) return byValue
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

/** PathElement.Compare: field names < keys < values < indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  if ('field' in a) return 'field' in b ? compareUtf8(a.field, b.field) : -1
  if ('field' in b) return 1
  if ('key' in a) return 'key' in b ? compareKeyFields(a.key, b.key) : -1
  if ('key' in b) return 1
  if ('value' in a) return 'value' in b ? compareValues(a.value, b.value) : -1
  if ('value' in b) return 1
  return a.index === b.index ? 0 : a.index < b.index ? -1 : 1
}

/** The managedFields spelling of one element; also its identity, since it is canonical. */
export function serializeElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`
  if ('key' in pe) return `k:{${pe.key.map((f) => `${goJsonString(f.name)}:${goJson(f.value)}`).join(',')}}`
  if ('value' in pe) return `v:${goJson(pe.value)}`
  return `i:${pe.index}`
}

/** Parses `f:`/`k:`/`v:`/`i:`; an unknown prefix yields undefined (the real server drops those silently). */
export function parseElement(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ':') throw new FieldPathError(`invalid path element ${JSON.stringify(s)}: missing colon`)
  const body = s.slice(2)
  switch (s[0]) {
    case 'f':
      return {field: body}
    case 'k': {
      const parsed: unknown = parseJson(body)
      if (!isPlainObject(parsed)) throw new FieldPathError(`invalid key path element ${JSON.stringify(s)}`)
      return keyElement(parsed)
    }
    case 'v':
      return {value: parseJson(body)}
    case 'i':
      if (!/^-?\d+$/.test(body)) throw new FieldPathError(`invalid index path element ${JSON.stringify(s)}`)
      return {index: Number(body)}
    default:
      return undefined
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new FieldPathError(`invalid JSON in path element: ${text}`, {cause})
  }
}

// value.ToString, used by Path.String() in conflict messages.
function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`
  if (isPlainObject(v)) return Object.keys(v).map((k) => `${k}=${valueToString(v[k])}`).join('')
  return String(v)
}

export function elementToString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`
  if ('key' in pe) return `[${pe.key.map((f) => `${f.name}=${valueToString(f.value)}`).join(',')}]`
  if ('value' in pe) return `[=${valueToString(pe.value)}]`
  return `[${pe.index}]`
}

/** `.spec.replicas`, `.spec.template.spec.containers[name="nginx"].image`. */
export function pathToString(path: FieldPath): string {
  return path.map(elementToString).join('')
}
