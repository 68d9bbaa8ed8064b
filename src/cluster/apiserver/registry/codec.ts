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
  return canonicalJson(stripForCompare(a)) === canonicalJson(stripForCompare(b))
}

function stripForCompare(obj: KubeObject): KubeObject {
  const {resourceVersion: _rv, ...metadata} = stripManagedFieldTimes(obj).metadata
  return {...obj, metadata}
}

/** JSON with object keys sorted at every level (array order is significant and kept). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function stripManagedFieldTimes(obj: KubeObject): KubeObject {
  const managed = obj.metadata.managedFields
  if (!managed) return obj
  return {...obj, metadata: {...obj.metadata, managedFields: managed.map(({time: _t, ...rest}) => rest)}}
}
