// The standard indexes of shared informers (client-go's cache.NamespaceIndex and the indexes
// controllers register): every informer has the namespace index; the others are added by whoever
// reads through them (adding the same index twice is a no-op, so controllers may all ask).
import type {KubeObject} from '../../api/types.js'
import type {IndexFunc} from './informer-cache.js'

export const NAMESPACE_INDEX = 'namespace'
export const CONTROLLER_UID_INDEX = 'controller-uid'
export const NODE_NAME_INDEX = 'spec.nodeName'
/** Objects without a controller reference, by namespace (a ReplicaSet's adoption candidates). */
export const ORPHANS_BY_NAMESPACE_INDEX = 'orphans-by-namespace'

const NONE: readonly string[] = []

export const namespaceIndex: IndexFunc = (obj) => (obj.metadata.namespace ? [obj.metadata.namespace] : NONE)

/** The uid of the object's controlling owner reference. */
export const controllerUidIndex: IndexFunc = (obj) => {
  const ref = obj.metadata.ownerReferences?.find((o) => o.controller)
  return ref ? [ref.uid] : NONE
}

export const nodeNameIndex: IndexFunc = (obj) => {
  const nodeName = (obj.spec as {nodeName?: string} | undefined)?.nodeName
  return nodeName ? [nodeName] : NONE
}

export const orphansByNamespaceIndex: IndexFunc = (obj: KubeObject) =>
  obj.metadata.ownerReferences?.some((o) => o.controller) ? NONE : [obj.metadata.namespace ?? '']
