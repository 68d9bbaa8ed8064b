// Objects are stored as JSON without metadata.resourceVersion; the store's modRevision is the
// resourceVersion, set on every read. So a value never disagrees with its own revision.
import type {KubeObject} from '../../api/types.js'
import type {KeyValue} from '../../store/store.js'
import {jsonEqual} from '../../api/json-equal.js'

export {jsonEqual}

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


function stripManagedFieldTimes(obj: KubeObject): KubeObject {
  const managed = obj.metadata.managedFields
  if (!managed) return obj
  return {...obj, metadata: {...obj.metadata, managedFields: managed.map(({time: _t, ...rest}) => rest)}}
}
