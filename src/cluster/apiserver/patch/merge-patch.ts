// application/merge-patch+json (RFC 7386) as the API server applies it through evanphx/json-patch:
// objects merge key by key, null deletes, anything else replaces, and nulls inside inserted values are pruned.
import {badRequest} from '../../api/errors.js'
import {cloneJson, isPlainObject} from '../../api/types.js'

/** Deeper than any Kubernetes object; keeps the recursive merges far from the stack limit. */
const MAX_DEPTH = 1000

/**
 * Rejects `__proto__` keys anywhere in a patch (400): JSON.parse makes them own properties, and a later
 * assignment or Object.assign would turn them into prototype changes. Also bounds the nesting depth.
 */
export function rejectUnsafeKeys(value: unknown): void {
  const stack: Array<{value: unknown; depth: number}> = [{value, depth: 0}]
  while (stack.length > 0) {
    const {value: current, depth} = stack.pop()!
    if (depth > MAX_DEPTH) throw badRequest(`the patch is nested deeper than ${MAX_DEPTH} levels`)
    if (Array.isArray(current)) {
      for (const item of current) stack.push({value: item, depth: depth + 1})
    } else if (isPlainObject(current)) {
      for (const key of Object.keys(current)) {
        if (key === '__proto__') throw badRequest('the patch contains the forbidden key "__proto__"')
        stack.push({value: current[key], depth: depth + 1})
      }
    }
  }
}

/**
 * Applies a JSON merge patch and returns the new document; `doc` and `patch` are left untouched.
 * A patch that is not a JSON object is a 400, like evanphx's `Invalid JSON Patch` (an object is required).
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) throw badRequest('Invalid JSON Patch')
  rejectUnsafeKeys(patch)
  if (!isPlainObject(doc)) return pruneNulls(cloneJson(patch))
  const target = cloneJson(doc)
  mergeObject(target, cloneJson(patch))
  return target
}

function mergeObject(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key]
      continue
    }
    const current = Object.hasOwn(target, key) ? target[key] : undefined
    if (isPlainObject(current) && isPlainObject(value)) mergeObject(current, value)
    else target[key] = pruneNulls(value)
  }
}

/** evanphx prunes null members of inserted objects (at any depth); null array elements stay. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls)
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(value)) {
    if (member !== null) out[key] = pruneNulls(member)
  }
  return out
}
