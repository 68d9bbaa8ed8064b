// application/strategic-merge-patch+json, applied the way k8s.io/apimachinery's StrategicMergeMapPatch does
// on the server (MergeParallelList + IgnoreUnmatchedNulls), driven by the metadata in patch-meta.ts.
// Ported behaviour worth knowing:
// - a map with `$patch: replace|delete` replaces/empties the map; `$retainKeys` prunes before merging;
// - in merge lists, `{$patch: delete, <key>: v}` removes every match, `{$patch: replace}` replaces the list;
// - without `$setElementOrder`, patch items take the patch's order and server-only items keep their place
//   relative to them (so a new item lands *before* the existing ones, as on a real server);
// - values taken whole from the patch lose nested nulls and directive maps (removeDirectives in apimachinery).
// apimachinery reports malformed patches as 500s in several places; here every client mistake is a 400.
import {ApiError, badRequest, internalError, unsupportedMediaType} from '../../api/errors.js'
import {cloneJson, isPlainObject} from '../../api/types.js'
import {rejectUnsafeKeys} from './merge-patch.js'
import {childSchema, itemSchema, schemaFor, type GroupKind, type SchemaNode} from './patch-meta.js'

type JsonMap = Record<string, unknown>
type ElementKind = 'map' | 'string' | 'number' | 'boolean' | 'empty'

const DIRECTIVE = '$patch'
const RETAIN_KEYS = '$retainKeys'
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList'
const SET_ELEMENT_ORDER = '$setElementOrder'

export const UNSUPPORTED_PATCH_MESSAGE =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml'

/**
 * Applies a strategic merge patch to `doc` (a live object of `type`) and returns the result; inputs are not mutated.
 * Kinds without compiled-in metadata (CRDs) get the API server's 415.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, type: GroupKind): unknown {
  const schema = schemaFor(type)
  if (!schema) throw unsupportedMediaType(UNSUPPORTED_PATCH_MESSAGE)
  if (!isPlainObject(patch)) throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`)
  if (!isPlainObject(doc)) throw internalError('strategic merge patch needs an object to patch')
  rejectUnsafeKeys(patch)
  return mergeMap(cloneJson(doc), cloneJson(patch), schema)
}

// ---- maps ----

function mergeMap(original: JsonMap | undefined, patch: JsonMap, schema: SchemaNode): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE]
    if (directive === 'delete') return {}
    if (directive !== 'replace') throw badPatchType(directive, patch)
    delete patch[DIRECTIVE]
    return materialize(patch) as JsonMap
  }
  const target = original ?? {}
  applyRetainKeys(target, patch)
  mergeOrderedLists(target, patch, schema)

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    let key = patchKey
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)
    if (isDeleteList) {
      key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST, 'invalid patch format of primitive list')
      if (patchValue !== null && !Array.isArray(patchValue)) throw badRequest('invalid patch format of primitive list')
    } else if (patchKey.startsWith('$')) {
      continue // unknown directive: typed decoding on a real server drops or rejects it; it is never stored
    }
    if (patchValue === null) {
      delete target[key]
      continue
    }
    const current = Object.hasOwn(target, key) ? target[key] : undefined
    if (current === undefined || valueKind(current) !== valueKind(patchValue)) {
      if (!isDeleteList) assignMaterialized(target, key, patchValue)
      continue
    }
    const child = childSchema(schema, key)
    if (isPlainObject(current)) {
      target[key] = child.patchStrategy === 'replace' ? materialize(patchValue) : mergeMap(current, patchValue as JsonMap, child)
    } else if (Array.isArray(current)) {
      target[key] = mergeSliceHandler(current, patchValue as unknown[], child, isDeleteList)
    } else {
      target[key] = patchValue
    }
  }
  return target
}

function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return
  const retain = patch[RETAIN_KEYS]
  delete patch[RETAIN_KEYS]
  if (!Array.isArray(retain)) throw badRequest('invalid patch format of retainKeys')
  const keep = new Set(retain)
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue
    if (!keep.has(key)) throw badRequest('invalid patch format of retainKeys')
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key]
}

/** Merges every list named by a `$setElementOrder/<field>` and orders it; the list leaves the patch. */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, schema: SchemaNode): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue
    const order = patch[directiveKey]
    delete patch[directiveKey]
    if (!Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list')
    const key = extractKey(directiveKey, SET_ELEMENT_ORDER, 'invalid patch format of setElementOrder list')
    const originalList = listField(original, key)
    const patchList = listField(patch, key)
    const node = childSchema(schema, key)
    const mergeKey = node.patchMergeKey ?? ''
    validateSetOrder(patchList ?? [], order, mergeKey)

    let merged: unknown[]
    if (originalList && patchList) merged = mergeSliceHandler(originalList, patchList, node, false)
    else if (patchList) merged = materialize(patchList) as unknown[]
    else if (originalList) merged = originalList
    else continue
    delete patch[key]
    const kind = elementKind(originalList ?? [], patchList ?? [])
    // Ordering needs comparable items: a merge key for maps (apimachinery would panic on keyless maps).
    if (kind === 'empty' || (kind === 'map' && !mergeKey)) {
      original[key] = merged
      continue
    }
    const [patchItems, serverOnly] = partition(merged, order, mergeKey)
    original[key] = normalizeElementOrder(patchItems, serverOnly, order, originalList ?? [], mergeKey)
  }
}

// ---- lists ----

function mergeSliceHandler(original: unknown[], patch: unknown[], node: SchemaNode, isDeleteList: boolean): unknown[] {
  if (node.patchStrategy === 'merge' || isDeleteList) return mergeSlice(original, patch, node, isDeleteList)
  return materialize(patch) as unknown[]
}

function mergeSlice(originalIn: unknown[], patchIn: unknown[], node: SchemaNode, isDeleteList: boolean): unknown[] {
  const kind = elementKind(originalIn, patchIn)
  if (kind === 'empty') return originalIn
  const mergeKey = kind === 'map' ? node.patchMergeKey ?? '' : ''
  let original = originalIn
  let patch = patchIn
  let merged: unknown[]
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((item) => !patch.includes(item))
    merged = [...new Set([...original, ...patch])]
  } else {
    if (!mergeKey) throw badRequest(`cannot merge lists without merge key for ${node.typeName ?? 'this field'}`)
    const [remaining, plain] = applySpecialElements(original, patch as JsonMap[], mergeKey)
    original = remaining
    patch = plain
    merged = mergeByKey(original, plain, mergeKey, itemSchema(node))
  }
  const [patchItems, serverOnly] = partition(merged, patch, mergeKey)
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey)
}

/** Applies `$patch: delete|replace` elements; returns the remaining original and the plain patch elements. */
function applySpecialElements(original: unknown[], patch: JsonMap[], mergeKey: string): [unknown[], JsonMap[]] {
  const plain: JsonMap[] = []
  let replace = false
  let remaining = original
  for (const element of patch) {
    if (!Object.hasOwn(element, DIRECTIVE)) {
      plain.push(element)
      continue
    }
    const directive = element[DIRECTIVE]
    if (directive === 'delete') {
      if (!Object.hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey)
      remaining = remaining.filter((item) => !(isPlainObject(item) && Object.hasOwn(item, mergeKey) && item[mergeKey] === element[mergeKey]))
    } else if (directive === 'replace') {
      replace = true
    } else if (directive === 'merge') {
      throw badRequest('merging lists cannot yet be specified in the patch')
    } else {
      throw badPatchType(directive, element)
    }
  }
  return replace ? [plain.map((element) => materialize(element)), []] : [remaining, plain]
}

/** Matched elements merge recursively; unmatched ones are appended (ordering happens afterwards). */
function mergeByKey(original: unknown[], patch: JsonMap[], mergeKey: string, itemNode: SchemaNode): unknown[] {
  const result = [...original]
  for (const element of patch) {
    if (!Object.hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey)
    const index = result.findIndex((item) => isPlainObject(item) && Object.hasOwn(item, mergeKey) && item[mergeKey] === element[mergeKey])
    if (index >= 0) result[index] = mergeMap(result[index] as JsonMap, element, itemNode)
    else result.push(materialize(element))
  }
  return result
}

// ---- ordering (normalizeElementOrder & co. in apimachinery) ----

/** Splits `items` into those present in `by` (by merge key, or by value for scalars) and the rest. */
function partition(items: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = []
  const serverOnly: unknown[] = []
  for (const item of items) {
    if (mergeKey && !(isPlainObject(item) && Object.hasOwn(item, mergeKey))) throw noMergeKey(item, mergeKey)
    if (indexOf(by, item, mergeKey) >= 0) inPatch.push(item)
    else serverOnly.push(item)
  }
  return [inPatch, serverOnly]
}

/** Patch items follow `patchOrder`, server-only items follow `serverOrder`, then the two are interleaved. */
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string): unknown[] {
  const left = sortByOrder(serverOnly, serverOrder, mergeKey)
  const right = sortByOrder(patchItems, patchOrder, mergeKey)
  // A server-only item goes first only when both items are on the server and it came first there.
  const out: unknown[] = []
  let i = 0
  let j = 0
  while (i < left.length && j < right.length) {
    const li = indexOf(serverOrder, left[i], mergeKey)
    const ri = indexOf(serverOrder, right[j], mergeKey)
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++])
    else out.push(right[j++])
  }
  return [...out, ...left.slice(i), ...right.slice(j)]
}

/**
 * Stable sort by position in `order`, with apimachinery's comparator (an item missing from `order` counts as
 * "less"), run as Go's insertion sort so inconsistent cases come out the same. `$patch: delete` items go last.
 */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string): unknown[] {
  if (mergeKey) {
    for (const item of [...items, ...order]) if (!isPlainObject(item) || !Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey)
  }
  const isDelete = (item: unknown) => isPlainObject(item) && item[DIRECTIVE] === 'delete'
  const sorted = items.filter((item) => !isDelete(item))
  const less = (a: unknown, b: unknown) => {
    const ia = indexOf(order, a, mergeKey)
    const ib = ia >= 0 ? indexOf(order, b, mergeKey) : -1
    return ia >= 0 && ib >= 0 ? ia < ib : true
  }
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && less(sorted[j], sorted[j - 1]); j--) [sorted[j - 1], sorted[j]] = [sorted[j], sorted[j - 1]]
  }
  return [...sorted, ...items.filter(isDelete)]
}

function indexOf(list: unknown[], item: unknown, mergeKey: string): number {
  if (!mergeKey) return list.indexOf(item)
  const key = isPlainObject(item) ? item[mergeKey] : undefined
  return list.findIndex((entry) => isPlainObject(entry) && entry[mergeKey] === key)
}

/** Every `$patch` list element must keep the relative order of `$setElementOrder`, and be named in it. */
function validateSetOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (patchList.length === 0 || order.length === 0) return
  const kept = mergeKey ? patchList.filter((item) => !(isPlainObject(item) && item[DIRECTIVE] === 'delete')) : patchList
  let p = 0
  let s = 0
  while (p < kept.length && s < order.length) {
    const item = kept[p]
    if (isPlainObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++
      continue
    }
    if (mergeKey) {
      if (!isPlainObject(item) || !Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey)
      const entry = order[s]
      if (!isPlainObject(entry) || !Object.hasOwn(entry, mergeKey)) throw noMergeKey(entry, mergeKey)
      if (item[mergeKey] === entry[mergeKey]) p++
    } else if (item === order[s]) {
      p++
    }
    s++
  }
  if (p < kept.length) {
    throw badRequest(`the order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${JSON.stringify(order)}`)
  }
}

// ---- values taken from the patch ----

/** A patch value stored as is: nested nulls, directive maps and `$` keys dropped; undefined = drop it all. */
function materialize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(materialize).filter((item) => item !== undefined)
  if (!isPlainObject(value)) return value
  if (Object.hasOwn(value, DIRECTIVE)) return undefined
  const out: JsonMap = {}
  for (const [key, member] of Object.entries(value)) {
    if (member === null || key.startsWith('$')) continue
    const kept = materialize(member)
    if (kept !== undefined) out[key] = kept
  }
  return out
}

function assignMaterialized(target: JsonMap, key: string, value: unknown): void {
  const kept = materialize(value)
  if (kept === undefined) delete target[key]
  else target[key] = kept
}

// ---- helpers ----

function listField(map: JsonMap, key: string): unknown[] | undefined {
  if (!Object.hasOwn(map, key)) return undefined
  const value = map[key]
  if (!Array.isArray(value)) throw badRequest(`expected a slice, but received a ${value === null ? 'null' : isPlainObject(value) ? 'map' : typeof value}`)
  return value
}

function extractKey(directiveKey: string, prefix: string, message: string): string {
  const slash = directiveKey.indexOf('/')
  if (slash < 0 || directiveKey.slice(0, slash) !== prefix) throw badRequest(message)
  return directiveKey.slice(slash + 1)
}

function valueKind(value: unknown): string {
  if (Array.isArray(value)) return 'list'
  if (isPlainObject(value)) return 'map'
  return value === null ? 'null' : typeof value
}

/** The common element type of two lists; mixed types and nested lists are rejected like apimachinery does. */
function elementKind(...lists: unknown[][]): ElementKind {
  let kind: ElementKind = 'empty'
  for (const item of lists.flat()) {
    if (Array.isArray(item)) throw new ApiError(422, 'Invalid', 'lists of lists are not supported')
    const current = isPlainObject(item) ? 'map' : typeof item
    if (current !== 'map' && current !== 'string' && current !== 'number' && current !== 'boolean') {
      throw badRequest(`list element types are not supported: ${JSON.stringify(item)}`)
    }
    if (kind !== 'empty' && kind !== current) throw badRequest(`list element types are not identical: ${JSON.stringify(lists)}`)
    kind = current
  }
  return kind
}

function badPatchType(directive: unknown, map: JsonMap): ApiError {
  return badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(map)}`)
}

function noMergeKey(item: unknown, mergeKey: string): ApiError {
  return badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`)
}
