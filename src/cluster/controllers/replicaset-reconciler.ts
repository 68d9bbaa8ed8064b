// One ReplicaSet's sync (replica_set.go syncReplicaSet): claim the active pods that match its
// selector (adopt orphans, release pods relabelled out), create or delete pods to reach
// spec.replicas, then write status through the status subresource. Level-based. The ReplicaSet is
// read fresh; its pods come from a ReplicaSetPodSource: the shared pod informer's cache in the
// control plane, or the store itself. With a cache, the next sync of a ReplicaSet first waits until
// the cache holds every pod write of the previous ones (read-your-writes, upstream's expectations),
// so it never creates or deletes twice; every write stays a CAS through the registry.
import type {ReplicaSet} from 'kubernetes-types/apps/v1.js'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {labelSelectorFromSpec, matchesLabels, type LabelSelector} from '../api/label-selector.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import {logger} from '../log.js'
import {podsToDelete} from './pod-ranking.js'
import type {ObjectKey, ReconcileResult, Reconciler} from './reconciler.js'
import {claimPods} from './replicaset-claim.js'
import {BURST_REPLICAS, MANAGER, ReplicaSetPodControl, type EventSink} from './replicaset-pod-control.js'
import {StorePods, type ReplicaSetPodSource} from './replicaset-pod-cache.js'
import {ReadYourWrites} from './informers/read-your-writes.js'
import type {SharedInformer} from './informers/shared-informer.js'
import {controllerOf, isPodActive} from './replicaset-pod-state.js'
import {computeStatus, sameStatus, type ManageFailure} from './replicaset-status.js'

const REPLICASETS = resourceOfKind('ReplicaSet')

export interface ReplicaSetReconcilerDeps {
  registry: ObjectRegistry
  clock: Clock
  recorder?: EventSink
  /** Where pods are read (default: fresh from the store). */
  pods?: ReplicaSetPodSource
  /** The shared ReplicaSet informer: when given, the ReplicaSet is read from its cache (default: the store). */
  replicaSets?: SharedInformer
}

/** A create or delete failed; the sync is retried with back-off after status records it. */
export class ReplicaSetSyncError extends Error {
  override name = 'ReplicaSetSyncError'
  constructor(
    message: string,
    readonly code: 'FailedCreate' | 'FailedDelete',
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

export class ReplicaSetReconciler implements Reconciler {
  readonly name = 'replicaset-controller'
  private readonly log = logger('replicaset-controller')
  private readonly podControl: ReplicaSetPodControl
  private readonly pods: ReplicaSetPodSource
  /** Status writes of earlier syncs, so a sync never computes from a cached ReplicaSet older than its own write. */
  private readonly statusWrites?: ReadYourWrites

  constructor(private readonly deps: ReplicaSetReconcilerDeps) {
    this.podControl = new ReplicaSetPodControl(deps.registry, deps.recorder)
    this.pods = deps.pods ?? new StorePods(deps.registry)
    if (deps.replicaSets) this.statusWrites = new ReadYourWrites(deps.replicaSets)
  }

  async reconcile(key: ObjectKey, signal: AbortSignal): Promise<ReconcileResult | void> {
    const rsKey = `${key.namespace}/${key.name}`
    await this.pods.settle(rsKey, signal)
    await this.statusWrites?.settle(rsKey, signal)
    const wrote = (pod: KubeObject) => this.pods.wrote(rsKey, pod)
    // The cache holds at least the version whose event queued this key, and every status this
    // controller wrote; a spec change still in flight queues the key again when it lands.
    const found = this.deps.replicaSets ? this.deps.replicaSets.cache.get(key.namespace, key.name) : await this.deps.registry.tryGet(REPLICASETS, key.namespace, key.name)
    if (!found) return
    const rs = found as unknown as ReplicaSet
    let selector: LabelSelector
    try {
      selector = labelSelectorFromSpec(rs.spec?.selector)
    } catch (error) {
      // Validation refuses such selectors; an object stored before that rule cannot be synced.
      this.log.warn({err: error, replicaSet: `${key.namespace}/${key.name}`}, 'invalid selector; not syncing')
      return
    }
    // Pods controlled by others are never claimed, so only ours and orphans are read.
    const candidates = await this.pods.list(key.namespace!, {controllers: new Set([rs.metadata!.uid!]), orphans: true})
    const owned = await claimPods(this.deps.registry, rs, selector, candidates.filter(isPodActive), wrote)
    const failure = rs.metadata?.deletionTimestamp ? undefined : await this.manageReplicas(rs, owned, signal, wrote)
    const {status, recheckAfterMs} = computeStatus(rs, owned, failure, this.deps.clock.now())
    if (!sameStatus(rs.status, status)) await this.writeStatus(rs, status)
    if (failure) throw new ReplicaSetSyncError(failure.message, failure.reason as ReplicaSetSyncError['code'], {cause: failure.cause})
    return recheckAfterMs === undefined ? undefined : {requeueAfterMs: recheckAfterMs}
  }

  private async manageReplicas(rs: ReplicaSet, owned: Pod[], signal: AbortSignal, wrote: (pod: KubeObject) => void): Promise<ManageFailure | undefined> {
    const diff = owned.length - (rs.spec?.replicas ?? 1)
    if (diff < 0) {
      const error = await this.podControl.createPods(rs, -diff, signal, wrote)
      return error ? {reason: 'FailedCreate', message: error.message, cause: error} : undefined
    }
    if (diff > 0) {
      const count = Math.min(diff, BURST_REPLICAS)
      const related = count < owned.length ? await this.relatedPods(rs) : []
      const victims = podsToDelete(owned, related, count, this.deps.clock.now().getTime())
      const error = await this.podControl.deletePods(rs, victims, wrote)
      return error ? {reason: 'FailedDelete', message: error.message, cause: error} : undefined
    }
    return undefined
  }

  /**
   * getIndirectlyRelatedPods: pods selected by this ReplicaSet and its siblings (same controller,
   * e.g. one Deployment's ReplicaSets), so scale-down prefers nodes the owner has doubled up on.
   * Upstream takes every pod the siblings' selectors match; pods controlled by an unrelated owner
   * are left out here (overlapping selectors across owners are unsupported anyway).
   */
  private async relatedPods(rs: ReplicaSet): Promise<Pod[]> {
    const owner = controllerOf(rs)
    if (!owner) return []
    const siblings = (await this.deps.registry.list(REPLICASETS, rs.metadata!.namespace)).items.filter((s) => controllerOf(s)?.uid === owner.uid)
    const allPods = await this.pods.list(rs.metadata!.namespace!, {controllers: new Set(siblings.map((s) => s.metadata.uid!)), orphans: true})
    const selectors: LabelSelector[] = []
    for (const sibling of siblings) {
      try {
        selectors.push(labelSelectorFromSpec((sibling.spec as ReplicaSet['spec'])?.selector))
      } catch {
        // An unparsable sibling selector relates no pods, as upstream skips it.
      }
    }
    return allPods.filter((pod) => selectors.some((s) => matchesLabels(s, pod.metadata?.labels)))
  }

  private async writeStatus(rs: ReplicaSet, status: ReplicaSet['status']): Promise<void> {
    try {
      const {object} = await this.deps.registry.update(
        REPLICASETS,
        rs.metadata!.namespace,
        rs.metadata!.name!,
        (live) => {
          // A ReplicaSet recreated under the same name is another object; its own sync writes its status.
          if (live!.metadata.uid !== rs.metadata!.uid) return live!
          return {...live!, status} as KubeObject
        },
        {manager: MANAGER, subresource: 'status'},
      )
      this.statusWrites?.wrote(`${rs.metadata!.namespace}/${rs.metadata!.name}`, object)
    } catch (error) {
      if ((error as {code?: number}).code !== 404) throw error
    }
  }
}
