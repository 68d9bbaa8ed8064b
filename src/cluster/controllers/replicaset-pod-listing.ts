// The pods one ReplicaSet sync may care about, read fresh from the store: those controlled by given
// owners, and orphans. A namespace can hold 10,000 pods of other ReplicaSets; decoding all of them on
// every sync cost ~300 ms (measured), so stored values are screened as text first and only candidates
// are parsed (~55 ms, most of it the store read itself).
import type {Pod} from 'kubernetes-types/core/v1.js'
import {keyPrefix, resourceOfKind} from '../api/resources.js'
import {decodeStored} from '../apiserver/registry/codec.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {withTypeMeta} from '../apiserver/registry/object-registry.js'
import {asPod, controllerOf} from './replicaset-pod-state.js'

const PODS = resourceOfKind('Pod')

// Stored values are compact JSON (codec.ts encodeForStore), so a controller reference always reads
// exactly like this; inside a string value (an annotation) the quotes would be escaped and not match.
const CONTROLLER_MARK = '"controller":true'

export interface PodFilter {
  /** Pods whose controller reference names one of these uids. */
  controllers: ReadonlySet<string>
  /** Also pods without any controller reference. */
  orphans: boolean
}

/**
 * Pods of `namespace` controlled by one of `filter.controllers` (and orphans if asked). The text
 * screen only admits a superset (a uid seen anywhere, or no controller mark at all); the exact
 * check runs on the parsed pod.
 */
export async function listPods(registry: Pick<ObjectRegistry, 'store'>, namespace: string, filter: PodFilter): Promise<Pod[]> {
  const {items} = await registry.store.list(keyPrefix(PODS, namespace))
  const uids = [...filter.controllers]
  const pods: Pod[] = []
  for (const kv of items) {
    const orphanCandidate = filter.orphans && !kv.value.includes(CONTROLLER_MARK)
    if (!orphanCandidate && !uids.some((uid) => kv.value.includes(uid))) continue
    const pod = asPod(withTypeMeta(PODS, decodeStored(kv)))
    const controller = controllerOf(pod)
    if (controller ? filter.controllers.has(controller.uid) : filter.orphans) pods.push(pod)
  }
  return pods
}
