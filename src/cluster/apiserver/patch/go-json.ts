// JSON text as Go's encoding/json writes it: object keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped as
// \u00XX, compact. The API server builds two strings this way that clients compare byte for byte: the `k:{...}`
// keys of managedFields and the last-applied annotation it maintains for server-side apply.
import {isPlainObject} from '../../api/types.js'

const SHORT_ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t'}

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`
}

// Strings with nothing to escape (almost all names and keys) skip the per-character loop.
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029]/

export function goJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`
  let out = '"'
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0
    if (SHORT_ESCAPES[ch] !== undefined) out += SHORT_ESCAPES[ch]
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) out += hex4(code)
    else out += ch
  }
  return `${out}"`
}

/** Go's float formatting agrees with JavaScript's for the integers and short decimals found in objects. */
function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`json: unsupported value: ${n}`)
  return JSON.stringify(n)
}

/** `json.Marshal` of decoded JSON data (maps sort their keys; undefined members are skipped like absent ones). */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return goJsonString(value)
  if (typeof value === 'number') return goJsonNumber(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v)).join(',')}]`
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort(compareUtf8)
    return `{${keys.map((k) => `${goJsonString(k)}:${goJson(value[k])}`).join(',')}}`
  }
  throw new TypeError(`json: unsupported type: ${typeof value}`)
}

const SURROGATE = /[\uD800-\uDFFF]/

/** Go compares strings by UTF-8 bytes; JavaScript by UTF-16 units. They differ only above U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

