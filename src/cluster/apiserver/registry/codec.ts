// Objects are stored as JSON without metadata.resourceVersion; the store's modRevision is the
// resourceVersion, set on every read. So a value never disagrees with its own revision.
import type {KubeObject} from '../../api/types.js'
import type {KeyValue} from '../../store/store.js'

export function decodeStored(kv: KeyValue, revision = kv.modRevision): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject
  obj.metadata.resourceVersion = String(revision)
  return obj
}

export function encodeForStore(obj: KubeObject): string {
  const {resourceVersion: _rv, ...metadata} = obj.metadata
  return JSON.stringify({...obj, metadata})
}

/**
 * Equal for storage purposes: resourceVersion, managedFields timestamps and key order do not count as
 * changes (patches and apply may rebuild an object with its keys in another order).
 */
export function sameStoredContent(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(stripForCompare(a), stripForCompare(b))
}

function stripForCompare(obj: KubeObject): KubeObject {
  const {resourceVersion: _rv, ...metadata} = stripManagedFieldTimes(obj).metadata
  return {...obj, metadata}
}

/** Deep equality of JSON values; object key order does not matter, undefined members count as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  let countA = 0
  for (const k in ra) {
    if (ra[k] === undefined) continue
    countA++
    if (!jsonEqual(ra[k], rb[k])) return false
  }
  let countB = 0
  for (const k in rb) if (rb[k] !== undefined) countB++
  return countA === countB
}

function stripManagedFieldTimes(obj: KubeObject): KubeObject {
  const managed = obj.metadata.managedFields
  if (!managed) return obj
  return {...obj, metadata: {...obj.metadata, managedFields: managed.map(({time: _t, ...rest}) => rest)}}
}
