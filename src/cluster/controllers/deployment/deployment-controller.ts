// The Deployment controller (pkg/controller/deployment's sync loop), level-based: find the ReplicaSets a
// Deployment controls, make sure one matches its pod template (the new one, named and labelled by
// pod-template-hash), move replicas from the old ones to it per the strategy, prune history, and report
// status and conditions. ReplicaSets turn replicas into pods; this controller only sets their counts.
// ReplicaSets are read from the shared ReplicaSet informer (by controller uid); each sync first waits
// until that cache holds the ReplicaSet writes of the previous syncs of the same Deployment, so it never
// creates a new ReplicaSet twice or scales from a count it already changed. Writes stay CAS.
import type {Deployment} from 'kubernetes-types/apps/v1.js'
import {resourceOfKind} from '../../api/resources.js'
import type {KubeObject, Mutable} from '../../api/types.js'
import {jsonEqual} from '../../api/json-equal.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {Clock} from '../../clock.js'
import type {Store} from '../../store/store.js'
import {Controller} from '../controller.js'
import {CONTROLLER_UID_INDEX, controllerUidIndex} from '../informers/indexers.js'
import {ReadYourWrites} from '../informers/read-your-writes.js'
import {SharedInformerFactory} from '../informers/shared-informer-factory.js'
import type {SharedInformer} from '../informers/shared-informer.js'
import {EventRecorder} from '../../events/recorder.js'
import type {ObjectKey, ReconcileResult, Reconciler} from '../reconciler.js'
import {podTemplateHash} from './pod-template-hash.js'
import {deploymentStatus, type OwnedReplicaSet} from './deployment-status.js'
import {newReplicaSetReplicas, oldReplicasToRemove, resolveFenceposts} from './rollout-math.js'

const DEPLOYMENTS = resourceOfKind('Deployment')
const REPLICASETS = resourceOfKind('ReplicaSet')
const MANAGER = 'deployment-controller'
export const REVISION = 'deployment.kubernetes.io/revision'
const DESIRED = 'deployment.kubernetes.io/desired-replicas'
const MAX = 'deployment.kubernetes.io/max-replicas'
const HASH_LABEL = 'pod-template-hash'
// Annotations of the Deployment that are not copied to its ReplicaSets (kubectl's bookkeeping).
const NOT_COPIED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history'])

type DeploymentObject = KubeObject & Mutable<Deployment>

export class DeploymentReconciler implements Reconciler {
  readonly name = 'deployment'
  private readonly writes?: ReadYourWrites

  /** Without `replicaSets` (tests), ReplicaSets are listed fresh from the store. */
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly clock: Clock,
    private readonly recorder: Pick<EventRecorder, 'event'>,
    private readonly replicaSets?: SharedInformer,
  ) {
    if (replicaSets) {
      replicaSets.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex)
      this.writes = new ReadYourWrites(replicaSets)
    }
  }

  async reconcile(key: ObjectKey, signal?: AbortSignal): Promise<ReconcileResult | void> {
    const dKey = `${key.namespace}/${key.name}`
    await this.writes?.settle(dKey, signal)
    const d = (await this.registry.tryGet(DEPLOYMENTS, key.namespace, key.name)) as DeploymentObject | undefined
    if (!d || d.metadata.deletionTimestamp) return
    const owned = await this.ownedReplicaSets(d)
    const template = withoutHash(d.spec?.template)
    let newRS = owned.find((rs) => sameTemplate(withoutHash(rs.spec?.template), template))
    const old = owned.filter((rs) => rs !== newRS)
    const desired = d.spec?.replicas ?? 1

    if (!d.spec?.paused) {
      const maxOldRevision = Math.max(0, ...old.map(revisionOf))
      if (!newRS) newRS = await this.createNewReplicaSet(d, maxOldRevision + 1, initialReplicas(d, old, desired))
      else newRS = await this.syncNewReplicaSetMetadata(d, newRS, maxOldRevision)
      if (d.spec?.strategy?.type === 'Recreate') await this.recreate(d, newRS, old, desired)
      else await this.rollingUpdate(d, newRS, old, desired)
      await this.pruneHistory(d, old)
    }

    // Status is computed from what this sync just wrote, so the cache must hold it first.
    await this.writes?.settle(dKey, signal)
    const fresh = await this.ownedReplicaSets(d)
    const {status, requeueAfterMs} = deploymentStatus(d, fresh, newRS ? fresh.find((rs) => rs.metadata.uid === newRS!.metadata.uid) : undefined, this.clock.now())
    await this.writeStatus(d, status, newRS ? revisionOf(newRS) : undefined)
    return requeueAfterMs !== undefined ? {requeueAfterMs} : undefined
  }

  /** Cached objects are shared: callers copy before changing one (see rollingUpdate). */
  private async ownedReplicaSets(d: DeploymentObject): Promise<OwnedReplicaSet[]> {
    const items = this.replicaSets
      ? this.replicaSets.cache.byIndex(CONTROLLER_UID_INDEX, d.metadata.uid!).filter((rs) => rs.metadata.namespace === d.metadata.namespace)
      : (await this.registry.list(REPLICASETS, d.metadata.namespace)).items
    return (items as OwnedReplicaSet[]).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid) && !rs.metadata.deletionTimestamp)
  }

  /** Records a ReplicaSet write for read-your-writes; returns it. */
  private wrote<T extends KubeObject>(d: DeploymentObject, written: T): T {
    this.writes?.wrote(`${d.metadata.namespace}/${d.metadata.name}`, written)
    return written
  }

  private async createNewReplicaSet(d: DeploymentObject, revision: number, replicas: number): Promise<OwnedReplicaSet> {
    const template = structuredClone(d.spec!.template!)
    for (let collision = d.status?.collisionCount ?? 0; ; collision++) {
      const hash = podTemplateHash(withoutHash(template), collision)
      const labels = {...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash}
      const rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels,
          annotations: {...copiedAnnotations(d), [REVISION]: String(revision), ...scaleAnnotations(d)},
          ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true}],
        },
        spec: {
          replicas,
          minReadySeconds: d.spec?.minReadySeconds,
          selector: {...d.spec!.selector, matchLabels: {...(d.spec!.selector.matchLabels ?? {}), [HASH_LABEL]: hash}},
          template: {...template, metadata: {...template.metadata, labels}},
        },
      }
      try {
        const created = this.wrote(d, (await this.registry.create(REPLICASETS, d.metadata.namespace, rs as unknown as KubeObject, {manager: MANAGER})) as OwnedReplicaSet)
        if (replicas > 0) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`)
        return created
      } catch (error) {
        // A ReplicaSet of that name with another template: a hash collision, as the real controller handles it.
        if ((error as {code?: number}).code !== 409 || collision > 10) throw error
      }
    }
  }

  /** The new ReplicaSet carries the highest revision and the Deployment's current annotations. */
  private async syncNewReplicaSetMetadata(d: DeploymentObject, rs: OwnedReplicaSet, maxOldRevision: number): Promise<OwnedReplicaSet> {
    const revision = Math.max(revisionOf(rs), maxOldRevision + 1)
    const annotations = {...(rs.metadata.annotations ?? {}), ...copiedAnnotations(d), [REVISION]: String(revision), ...scaleAnnotations(d)}
    if (sameRecord(annotations, rs.metadata.annotations ?? {}) && rs.spec?.minReadySeconds === d.spec?.minReadySeconds) return rs
    return this.wrote(d, (await this.registry.update(REPLICASETS, rs.metadata.namespace, rs.metadata.name!, (live) => ({
      ...live!,
      metadata: {...live!.metadata, annotations},
      spec: {...(live!.spec as object), minReadySeconds: d.spec?.minReadySeconds},
    }), {manager: MANAGER})).object as OwnedReplicaSet)
  }

  private async rollingUpdate(d: DeploymentObject, newRS: OwnedReplicaSet, old: OwnedReplicaSet[], desired: number): Promise<void> {
    const {surge, unavailable} = resolveFenceposts(d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable, desired)
    const counts = (rs: OwnedReplicaSet) => ({replicas: rs.spec?.replicas ?? 0, available: rs.status?.availableReplicas ?? 0})
    const all = [newRS, ...old]
    const target = newReplicaSetReplicas(desired, surge, counts(newRS), all.map(counts))
    if (target !== (newRS.spec?.replicas ?? 0)) await this.scale(d, newRS, target)
    // A copy: newRS may be the informer's shared object.
    const scaledNew = {...newRS, spec: {...newRS.spec!, replicas: target}} as OwnedReplicaSet
    let budget = oldReplicasToRemove(desired, unavailable, counts(scaledNew), [scaledNew, ...old].map(counts))
    // Unhealthy old replicas go first (they count against nothing), then the oldest ReplicaSets shrink.
    for (const rs of [...old].sort(byAge)) {
      const replicas = rs.spec?.replicas ?? 0
      if (replicas === 0) continue
      const unhealthy = Math.max(0, replicas - (rs.status?.availableReplicas ?? 0))
      const cut = Math.min(replicas, unhealthy + Math.max(0, budget))
      if (cut === 0) continue
      budget -= Math.max(0, cut - unhealthy)
      await this.scale(d, rs, replicas - cut)
    }
  }

  private async recreate(d: DeploymentObject, newRS: OwnedReplicaSet, old: OwnedReplicaSet[], desired: number): Promise<void> {
    for (const rs of old) if ((rs.spec?.replicas ?? 0) > 0) await this.scale(d, rs, 0)
    // The new pods start only once no old pod runs.
    if (old.some((rs) => (rs.status?.replicas ?? 0) > 0 || (rs.spec?.replicas ?? 0) > 0)) return
    if ((newRS.spec?.replicas ?? 0) !== desired) await this.scale(d, newRS, desired)
  }

  private async pruneHistory(d: DeploymentObject, old: OwnedReplicaSet[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10
    const idle = old.filter((rs) => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b))
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      const deleted = await this.registry.delete(REPLICASETS, rs.metadata.namespace, rs.metadata.name!, {propagationPolicy: 'Background', preconditions: {uid: rs.metadata.uid}}).catch(ignoreGone)
      if (deleted) this.wrote(d, deleted.object)
    }
  }

  private async scale(d: DeploymentObject, rs: OwnedReplicaSet, replicas: number): Promise<void> {
    const from = rs.spec?.replicas ?? 0
    const direction = replicas > from ? 'up' : 'down'
    this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${replicas}`)
    const {object} = await this.registry.update(REPLICASETS, rs.metadata.namespace, rs.metadata.name!, (live) => ({
      ...live!,
      metadata: {...live!.metadata, annotations: {...(live!.metadata.annotations ?? {}), ...scaleAnnotations(d)}},
      spec: {...(live!.spec as object), replicas},
    }), {manager: MANAGER})
    this.wrote(d, object)
  }

  private async writeStatus(d: DeploymentObject, status: Mutable<NonNullable<Deployment['status']>>, revision: number | undefined): Promise<void> {
    if (revision !== undefined && d.metadata.annotations?.[REVISION] !== String(revision)) {
      await this.registry.update(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, (live) => {
        live!.metadata.annotations = {...(live!.metadata.annotations ?? {}), [REVISION]: String(revision)}
        return live!
      }, {manager: MANAGER})
    }
    // Most syncs (every ReplicaSet status change wakes one) change nothing: skip the read-modify-write.
    if (d.status && jsonEqual(d.status, status)) return
    await this.registry.update(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, (live) => {
      const current = live as DeploymentObject
      if (current.metadata.uid !== d.metadata.uid) return current
      return {...current, status} as KubeObject
    }, {manager: MANAGER, subresource: 'status'})
  }
}

export function createDeploymentController(deps: {store: Store; registry: ObjectRegistry; clock: Clock; recorder?: Pick<EventRecorder, 'event'>; informers?: SharedInformerFactory}): Controller {
  const recorder = deps.recorder ?? new EventRecorder({registry: deps.registry, clock: deps.clock, component: 'deployment-controller'})
  const informers = deps.informers ?? new SharedInformerFactory(deps.store)
  const ownerKey = (rs: KubeObject): ObjectKey[] =>
    (rs.metadata.ownerReferences ?? []).filter((o) => o.controller && o.kind === 'Deployment').map((o) => ({namespace: rs.metadata.namespace, name: o.name}))
  return new Controller({
    store: deps.store,
    informers,
    reconciler: new DeploymentReconciler(deps.registry, deps.clock, recorder, informers.informerFor(REPLICASETS)),
    // ReplicaSet status moves with every pod; one sync per Deployment per 100 ms follows it closely enough.
    sources: [{resource: DEPLOYMENTS}, {resource: REPLICASETS, keysFor: ownerKey, throttleMs: 100}],
    workers: 2,
  })
}

function initialReplicas(d: DeploymentObject, old: OwnedReplicaSet[], desired: number): number {
  if (d.spec?.strategy?.type === 'Recreate') return old.some((rs) => (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0) ? 0 : desired
  const {surge} = resolveFenceposts(d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable, desired)
  const counts = old.map((rs) => ({replicas: rs.spec?.replicas ?? 0, available: rs.status?.availableReplicas ?? 0}))
  return newReplicaSetReplicas(desired, surge, {replicas: 0, available: 0}, counts)
}

function withoutHash<T extends {metadata?: {labels?: Record<string, string>}} | undefined>(template: T): T {
  if (!template?.metadata?.labels?.[HASH_LABEL]) return template
  const {[HASH_LABEL]: _h, ...labels} = template.metadata.labels
  return {...template, metadata: {...template.metadata, labels}}
}

function sameTemplate(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined && k !== 'creationTimestamp').sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
  return v
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

export function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0
}

function copiedAnnotations(d: DeploymentObject): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)))
}

function scaleAnnotations(d: DeploymentObject): Record<string, string> {
  const desired = d.spec?.replicas ?? 1
  const {surge} = resolveFenceposts(d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable, desired)
  return {[DESIRED]: String(desired), [MAX]: String(desired + (d.spec?.strategy?.type === 'Recreate' ? 0 : surge))}
}

function byAge(a: KubeObject, b: KubeObject): number {
  return String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || revisionOf(a) - revisionOf(b)
}

function ignoreGone(error: unknown): undefined {
  const code = (error as {code?: number}).code
  if (code !== 404 && code !== 409) throw error
  return undefined
}

