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

/** Equal for storage purposes: resourceVersion and managedFields timestamps do not count as changes. */
export function sameStoredContent(a: KubeObject, b: KubeObject): boolean {
  return encodeForStore(stripManagedFieldTimes(a)) === encodeForStore(stripManagedFieldTimes(b))
}

function stripManagedFieldTimes(obj: KubeObject): KubeObject {
  const managed = obj.metadata.managedFields
  if (!managed) return obj
  return {...obj, metadata: {...obj.metadata, managedFields: managed.map(({time: _t, ...rest}) => rest)}}
}
