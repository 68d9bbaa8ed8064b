// The garbage collector, level-based over ownerReferences, for every kind in the resource table:
// - a dependent none of whose owners exists any more (same uid) is deleted (Background propagation);
//   references to owners that are gone are dropped while another owner lives;
// - an owner being deleted with the `orphan` finalizer first has its references removed from its
//   dependents, then loses the finalizer;
// - an owner being deleted with `foregroundDeletion` has its dependents deleted and loses the
//   finalizer once no dependent with blockOwnerDeletion remains.
// Keys carry the kind, so one controller handles all of them. Like the real collector's graph, an
// owner index (owner uid -> dependents seen naming it) lets an owner's deletion wake exactly its
// dependents without scanning; scans happen only for the rare orphan/foreground deletions.
import type {OwnerReference} from 'kubernetes-types/meta/v1.js'
import {RESOURCES, apiVersionOf, type ResourceType} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {WatchEventType} from '../apiserver/registry/watch.js'
import {logger} from '../log.js'
import type {ObjectKey, ReconcileResult, Reconciler} from './reconciler.js'

const MANAGER = 'garbage-collector'
const ORPHAN = 'orphan'
const FOREGROUND = 'foregroundDeletion'

export function kindKey(r: {group: string; kind: string}): string {
  return `${r.group}/${r.kind}`
}

function resourceOfKindKey(kind: string | undefined): ResourceType | undefined {
  return RESOURCES.find((r) => kindKey(r) === kind)
}

function resourceOfReference(ref: OwnerReference): ResourceType | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === ref.apiVersion && r.kind === ref.kind)
}

export class GarbageCollector implements Reconciler {
  readonly name = 'garbage-collector'
  private readonly log = logger('garbage-collector')
  private readonly dependentsByOwner = new Map<string, Map<string, ObjectKey>>()
  private readonly ownersByDependent = new Map<string, Set<string>>()

  constructor(private readonly registry: ObjectRegistry) {}

  /**
   * The keys a change to `obj` wakes (its watch predicate): the object itself when it has owners or is
   * being deleted with orphan/foreground, its owners (a dependent changed), and its dependents when it
   * is deleted or being deleted. Also keeps the owner index current.
   */
  keysFor(r: ResourceType, obj: KubeObject, event: WatchEventType): ObjectKey[] {
    const self: ObjectKey = {kind: kindKey(r), namespace: obj.metadata.namespace, name: obj.metadata.name!}
    const keys: ObjectKey[] = []
    const refs = obj.metadata.ownerReferences ?? []
    // Most events are status writes that change nothing the collector acts on: same owners, not being
    // deleted. Those wake nobody (at 10,000 pods they were most of its work); additions, deletions,
    // owner changes and deletion marks still do.
    const relevant = event !== 'MODIFIED' || Boolean(obj.metadata.deletionTimestamp) || !this.sameOwners(self, refs)
    this.index(self, refs)
    if (!relevant) return keys
    const finalizers = obj.metadata.finalizers ?? []
    if (refs.length > 0 || (obj.metadata.deletionTimestamp && (finalizers.includes(ORPHAN) || finalizers.includes(FOREGROUND)))) keys.push(self)
    for (const ref of refs) {
      const owner = resourceOfReference(ref)
      if (owner) keys.push({kind: kindKey(owner), namespace: owner.scope === 'Namespaced' ? obj.metadata.namespace : undefined, name: ref.name})
    }
    if (event === 'DELETED' || obj.metadata.deletionTimestamp)
      for (const dependent of this.dependentsByOwner.get(obj.metadata.uid ?? '')?.values() ?? []) keys.push(dependent)
    return keys
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult | void> {
    const r = resourceOfKindKey(key.kind)
    if (!r) return
    const obj = await this.registry.tryGet(r, key.namespace, key.name)
    if (!obj) {
      this.index(key, [])
      return
    }
    if (await this.collectIfOrphaned(r, obj)) return
    const finalizers = obj.metadata.finalizers ?? []
    if (obj.metadata.deletionTimestamp && finalizers.includes(ORPHAN)) await this.orphanDependents(r, obj)
    if (obj.metadata.deletionTimestamp && finalizers.includes(FOREGROUND)) return this.deleteDependentsFirst(r, obj)
  }

  /** Whether the owner index already records exactly these owners for the object. */
  private sameOwners(dependent: ObjectKey, refs: OwnerReference[]): boolean {
    const known = this.ownersByDependent.get(keyString(dependent))
    if (!known) return refs.length === 0
    return known.size === refs.length && refs.every((ref) => known.has(ref.uid))
  }

  private index(dependent: ObjectKey, refs: OwnerReference[]): void {
    const id = keyString(dependent)
    for (const uid of this.ownersByDependent.get(id) ?? []) {
      const dependents = this.dependentsByOwner.get(uid)
      dependents?.delete(id)
      if (dependents?.size === 0) this.dependentsByOwner.delete(uid)
    }
    if (refs.length === 0) {
      this.ownersByDependent.delete(id)
      return
    }
    this.ownersByDependent.set(id, new Set(refs.map((ref) => ref.uid)))
    for (const ref of refs) {
      const dependents = this.dependentsByOwner.get(ref.uid) ?? new Map<string, ObjectKey>()
      dependents.set(id, dependent)
      this.dependentsByOwner.set(ref.uid, dependents)
    }
  }

  /** Deletes `obj` when none of its owners exists; drops references to missing owners otherwise. */
  private async collectIfOrphaned(r: ResourceType, obj: KubeObject): Promise<boolean> {
    const refs = obj.metadata.ownerReferences ?? []
    if (refs.length === 0 || obj.metadata.deletionTimestamp) return false
    const missing: OwnerReference[] = []
    for (const ref of refs) if (!(await this.ownerExists(obj, ref))) missing.push(ref)
    if (missing.length === 0) return false
    if (missing.length === refs.length) {
      this.log.info({object: describe(r, obj)}, 'deleting dependent whose owners are gone')
      await this.ignoreGone(this.registry.delete(r, obj.metadata.namespace, obj.metadata.name!, {propagationPolicy: 'Background', preconditions: {uid: obj.metadata.uid}}))
      return true
    }
    await this.removeReferences(r, obj, new Set(missing.map((m) => m.uid)))
    return false
  }

  private async orphanDependents(r: ResourceType, owner: KubeObject): Promise<void> {
    for (const {resource, dependent} of await this.dependentsOf(r, owner)) await this.removeReferences(resource, dependent, new Set([owner.metadata.uid!]))
    await this.removeFinalizer(r, owner, ORPHAN)
  }

  private async deleteDependentsFirst(r: ResourceType, owner: KubeObject): Promise<ReconcileResult | void> {
    const dependents = await this.dependentsOf(r, owner)
    for (const {resource, dependent} of dependents) {
      if (dependent.metadata.deletionTimestamp) continue
      await this.ignoreGone(this.registry.delete(resource, dependent.metadata.namespace, dependent.metadata.name!, {propagationPolicy: 'Foreground'}))
    }
    const blocking = dependents.filter(({dependent}) => referenceTo(dependent, owner)?.blockOwnerDeletion)
    if (blocking.length > 0) return {requeueAfterMs: 1000}
    await this.removeFinalizer(r, owner, FOREGROUND)
  }

  private async ownerExists(dependent: KubeObject, ref: OwnerReference): Promise<boolean> {
    const owner = resourceOfReference(ref)
    // Kinds this cluster does not serve cannot be verified; leave such dependents alone.
    if (!owner) return true
    const found = await this.registry.tryGet(owner, owner.scope === 'Namespaced' ? dependent.metadata.namespace : undefined, ref.name)
    return found?.metadata.uid === ref.uid
  }

  private async dependentsOf(r: ResourceType, owner: KubeObject) {
    const all = await this.candidates(r, owner.metadata.namespace)
    return all.filter(({dependent}) => referenceTo(dependent, owner))
  }

  // Dependents live in the owner's namespace; a cluster-scoped owner may have dependents anywhere.
  private async candidates(owner: ResourceType, namespace: string | undefined) {
    const out: Array<{resource: ResourceType; dependent: KubeObject}> = []
    for (const resource of RESOURCES) {
      if (owner.scope === 'Namespaced' && resource.scope === 'Cluster') continue
      const {items} = await this.registry.list(resource, owner.scope === 'Namespaced' ? namespace : undefined)
      for (const dependent of items) if (dependent.metadata.ownerReferences?.length) out.push({resource, dependent})
    }
    return out
  }

  private async removeReferences(r: ResourceType, obj: KubeObject, uids: Set<string>): Promise<void> {
    await this.ignoreGone(
      this.registry.update(
        r,
        obj.metadata.namespace,
        obj.metadata.name!,
        (live) => {
          const refs = (live!.metadata.ownerReferences ?? []).filter((ref) => !uids.has(ref.uid))
          live!.metadata.ownerReferences = refs.length > 0 ? refs : undefined
          return live!
        },
        {manager: MANAGER},
      ),
    )
  }

  private async removeFinalizer(r: ResourceType, obj: KubeObject, finalizer: string): Promise<void> {
    await this.ignoreGone(
      this.registry.update(
        r,
        obj.metadata.namespace,
        obj.metadata.name!,
        (live) => {
          if (live!.metadata.uid !== obj.metadata.uid) return live!
          const rest = (live!.metadata.finalizers ?? []).filter((f) => f !== finalizer)
          live!.metadata.finalizers = rest.length > 0 ? rest : undefined
          return live!
        },
        {manager: MANAGER},
      ),
    )
  }

  private async ignoreGone<T>(write: Promise<T>): Promise<T | undefined> {
    try {
      return await write
    } catch (error) {
      // Gone already, or replaced (uid precondition): the desired state holds either way.
      const code = (error as {code?: number}).code
      if (code === 404 || code === 409) return undefined
      throw error
    }
  }
}

function keyString(key: ObjectKey): string {
  return `${key.kind}|${key.namespace ?? ''}/${key.name}`
}

function referenceTo(dependent: KubeObject, owner: KubeObject): OwnerReference | undefined {
  return (dependent.metadata.ownerReferences ?? []).find((ref) => ref.uid === owner.metadata.uid)
}

function describe(r: ResourceType, obj: KubeObject): string {
  return `${r.plural}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`
}
