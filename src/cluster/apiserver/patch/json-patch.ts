// application/json-patch+json (RFC 6902). Errors follow the API server, which uses evanphx/json-patch v4:
// a body that does not decode as a list of operations is a 400, an operation that does not apply is a 422
// carrying evanphx's message (the real server hides it behind a generic text; the detail is more useful).
// Existence checks use own properties only, so `toString` & co. are missing keys, never prototype members.
import {isDeepStrictEqual} from 'node:util'
import jsonPatchLib from 'fast-json-patch'
import {ApiError, badRequest} from '../../api/errors.js'
import {cloneJson, isPlainObject} from '../../api/types.js'
import {rejectUnsafeKeys} from './merge-patch.js'

/** k8s.io/apiserver maxJSONPatchOperations. */
const MAX_OPERATIONS = 10_000
/**
 * evanphx's AccumulatedCopySizeLimit, which the API server sets to its request body limit (3 MiB):
 * without it, 40 `copy` operations that each double a subtree describe 2^40 nodes in a 3 KB body.
 */
export const MAX_ACCUMULATED_COPY_BYTES = 3 * 1024 * 1024
const KINDS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test'])
/** Path segments that could reach Object.prototype; never valid in a Kubernetes object. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor'])
const MISSING = Symbol('missing')

type Operation = Record<string, unknown>
type Container = Record<string, unknown> | unknown[]
interface Location {
  parent: Container
  key: string
}

/**
 * Applies a JSON patch atomically: the operations run on a copy, so any failure leaves nothing applied.
 * `doc` and `patch` are never mutated.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const operations = decodePatch(patch)
  let working = cloneJson(doc)
  const copied = {bytes: 0}
  for (const operation of operations) working = applyOperation(working, operation, copied)
  return working
}

function decodePatch(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) throw badRequest(`json: cannot unmarshal ${goType(patch)} into Go value of type jsonpatch.Patch`)
  if (patch.length > MAX_OPERATIONS) {
    throw new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${patch.length}`)
  }
  rejectUnsafeKeys(patch)
  for (const operation of patch) {
    if (!isPlainObject(operation)) throw badRequest(`json: cannot unmarshal ${goType(operation)} into Go value of type jsonpatch.Operation`)
    for (const field of ['path', 'from'] as const) {
      const pointer = operation[field]
      if (typeof pointer !== 'string') continue
      const segment = pointer.split('/').map(unescapeSegment).find((s) => FORBIDDEN_SEGMENTS.has(s))
      if (segment) throw badRequest(`json patch ${field} ${JSON.stringify(pointer)} refers to the forbidden key ${JSON.stringify(segment)}`)
    }
  }
  return cloneJson(patch as Operation[])
}

function applyOperation(doc: unknown, op: Operation, copied: {bytes: number}): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown'
  if (!KINDS.has(kind)) throw notApplicable(`Unexpected kind: ${kind}`)
  const path = pointerField(op, 'path', kind)
  // evanphx adds null when `value` is absent.
  const value = Object.hasOwn(op, 'value') ? op.value : null
  switch (kind) {
    case 'add':
      return add(doc, path, value, 'add')
    case 'remove':
      return remove(doc, path, `remove operation does not apply: doc is missing path: "${path}": missing value`, `error in remove for path: '${path}'`)
    case 'replace': {
      const at = locate(doc, path)
      if (!at) throw notApplicable(`replace operation does not apply: doc is missing path: ${path}: missing value`)
      if (read(at) === MISSING) throw notApplicable(`replace operation does not apply: doc is missing key: ${path}: missing value`)
      return mutate(doc, {op: 'replace', path, value})
    }
    case 'test': {
      const at = locate(doc, path)
      if (!at) throw notApplicable(`test operation does not apply: is missing path: ${path}: missing value`)
      const current = read(at)
      const equal = current === MISSING || current === null ? value === null : isDeepStrictEqual(current, value)
      if (!equal) throw notApplicable(`testing value ${path} failed: test failed`)
      return doc
    }
    default: {
      // move and copy: read `from`, (move: remove it), then add at `path`, in evanphx's order.
      const from = pointerField(op, 'from', kind)
      const source = locate(doc, from)
      if (!source) throw notApplicable(`${kind} operation does not apply: doc is missing from path: ${from}: missing value`)
      const moved = read(source)
      if (moved === MISSING) throw notApplicable(`error in ${kind} for path: '${from}': unable to get nonexistent key: ${source.key}: missing value`)
      if (kind === 'copy') chargeCopy(copied, moved)
      const afterRemove = kind === 'move' ? remove(doc, from, '', `error in move for path: '${from}'`) : doc
      if (!locate(afterRemove, path)) throw notApplicable(`${kind} operation does not apply: doc is missing destination path: ${path}: missing value`)
      return add(afterRemove, path, cloneJson(moved), kind)
    }
  }
}

/** Counts a copy's JSON size before it is made, as evanphx does; over the limit is a 413. */
function chargeCopy(copied: {bytes: number}, value: unknown): void {
  // JSON.stringify of the value is bounded: the document it comes from was checked after every earlier copy.
  copied.bytes += JSON.stringify(value)?.length ?? 0
  if (copied.bytes > MAX_ACCUMULATED_COPY_BYTES)
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: Unable to apply patch, the accumulated size increase of copy is ${copied.bytes}, exceeding the limit ${MAX_ACCUMULATED_COPY_BYTES}`,
    )
}

function add(doc: unknown, path: string, value: unknown, kind: string): unknown {
  const at = locate(doc, path)
  if (!at) throw notApplicable(`${kind} operation does not apply: doc is missing path: "${path}": missing value`)
  if (Array.isArray(at.parent) && at.key !== '-') {
    const index = parseIndex(at.key)
    if (index === undefined) throw notApplicable(`error in ${kind} for path: '${path}': strconv.Atoi: parsing ${JSON.stringify(at.key)}: invalid syntax`)
    if (index > at.parent.length) throw notApplicable(`error in ${kind} for path: '${path}': Unable to access invalid index: ${index}: invalid index referenced`)
  }
  return mutate(doc, {op: 'add', path, value})
}

function remove(doc: unknown, path: string, missingPath: string, context: string): unknown {
  const at = locate(doc, path)
  if (!at) throw notApplicable(missingPath)
  if (read(at) === MISSING) {
    const why = Array.isArray(at.parent)
      ? `Unable to access invalid index: ${at.key}: invalid index referenced`
      : `Unable to remove nonexistent key: ${at.key}: missing value`
    throw notApplicable(`${context}: ${why}`)
  }
  return mutate(doc, {op: 'remove', path})
}

/** The container holding the last segment of `path`, walking own properties only; undefined if absent. */
function locate(doc: unknown, path: string): Location | undefined {
  if (!path.startsWith('/')) return undefined
  const segments = path.slice(1).split('/').map(unescapeSegment)
  let current: unknown = doc
  for (const segment of segments.slice(0, -1)) {
    const next = isContainer(current) ? read({parent: current, key: segment}) : MISSING
    if (next === MISSING) return undefined
    current = next
  }
  return isContainer(current) ? {parent: current, key: segments.at(-1)!} : undefined
}

function read({parent, key}: Location): unknown {
  if (Array.isArray(parent)) {
    const index = parseIndex(key)
    return index !== undefined && index < parent.length ? parent[index] : MISSING
  }
  return Object.hasOwn(parent, key) ? parent[key] : MISSING
}

/** Runs one already-checked primitive operation through fast-json-patch, in place on our working copy. */
function mutate(doc: unknown, op: {op: 'add' | 'remove' | 'replace'; path: string; value?: unknown}): unknown {
  try {
    return jsonPatchLib.applyOperation(doc, op as Parameters<typeof jsonPatchLib.applyOperation>[1], false, true, true).newDocument
  } catch (cause) {
    throw new ApiError(422, 'Invalid', `${op.op} operation does not apply: ${(cause as Error).message}`, undefined, {cause})
  }
}

function pointerField(op: Operation, field: 'path' | 'from', kind: string): string {
  const value = op[field]
  if (value === undefined || value === null) throw notApplicable(`${kind} operation failed to decode ${field}: operation missing ${field} field: missing value`)
  if (typeof value !== 'string') throw notApplicable(`${kind} operation failed to decode ${field}: json: cannot unmarshal ${goType(value)} into Go value of type string`)
  return value
}

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isPlainObject(value)
}

function parseIndex(key: string): number | undefined {
  return /^\d{1,9}$/.test(key) ? Number(key) : undefined
}

function unescapeSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~')
}

function notApplicable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message)
}

/** The JSON type name Go's decoder prints in `cannot unmarshal X into ...`. */
function goType(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'object' : typeof value
}
