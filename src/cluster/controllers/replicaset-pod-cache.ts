// Where a ReplicaSet sync reads its pods. StorePods reads fresh from the store on every sync
// (replicaset-pod-listing.ts; tests and callers without informers). CachedPods reads the shared pod
// informer through two indexes, controller uid and orphans by namespace, so a sync costs the pods of
// one ReplicaSet instead of a scan of its namespace, and waits for the sync's own earlier writes to be
// in the cache (read-your-writes.ts: the ReplicaSet's "expectations") before reading.
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {CONTROLLER_UID_INDEX, ORPHANS_BY_NAMESPACE_INDEX, controllerUidIndex, orphansByNamespaceIndex} from './informers/indexers.js'
import {ReadYourWrites} from './informers/read-your-writes.js'
import type {SharedInformer} from './informers/shared-informer.js'
import {listPods, type PodFilter} from './replicaset-pod-listing.js'
import {asPod} from './replicaset-pod-state.js'

export interface ReplicaSetPodSource {
  /** Waits until the pods written by earlier syncs of `rsKey` are visible to list(). */
  settle(rsKey: string, signal: AbortSignal): Promise<void>
  /** Records a pod write (create, delete, adopt, release) made by a sync of `rsKey`. */
  wrote(rsKey: string, pod: KubeObject | undefined): void
  /** Pods of `namespace` controlled by one of `filter.controllers`, and orphans if asked. Read-only objects. */
  list(namespace: string, filter: PodFilter): Promise<Pod[]>
}

export class StorePods implements ReplicaSetPodSource {
  constructor(private readonly registry: Pick<ObjectRegistry, 'store'>) {}

  async settle(): Promise<void> {}

  wrote(): void {}

  list(namespace: string, filter: PodFilter): Promise<Pod[]> {
    return listPods(this.registry, namespace, filter)
  }
}

export class CachedPods implements ReplicaSetPodSource {
  private readonly writes: ReadYourWrites

  constructor(private readonly informer: SharedInformer) {
    informer.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex)
    informer.addIndexer(ORPHANS_BY_NAMESPACE_INDEX, orphansByNamespaceIndex)
    this.writes = new ReadYourWrites(informer)
  }

  settle(rsKey: string, signal: AbortSignal): Promise<void> {
    return this.writes.settle(rsKey, signal)
  }

  wrote(rsKey: string, pod: KubeObject | undefined): void {
    this.writes.wrote(rsKey, pod)
  }

  async list(namespace: string, filter: PodFilter): Promise<Pod[]> {
    const pods: Pod[] = []
    for (const uid of filter.controllers)
      for (const obj of this.informer.cache.byIndex(CONTROLLER_UID_INDEX, uid)) if (obj.metadata.namespace === namespace) pods.push(asPod(obj))
    if (filter.orphans) for (const obj of this.informer.cache.byIndex(ORPHANS_BY_NAMESPACE_INDEX, namespace)) pods.push(asPod(obj))
    return pods
  }
}
