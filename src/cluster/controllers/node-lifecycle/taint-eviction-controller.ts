// The NoExecute taint eviction controller (pkg/controller/tainteviction): a pod bound to a node with
// NoExecute taints is deleted at once when some taint is not tolerated, or when the shortest matching
// tolerationSeconds has passed since the taint was added. Before deleting it marks the pod with the
// DisruptionTarget condition. Level-based: a pending eviction is only a requeue, so a taint removed
// before the deadline simply finds nothing to do.
import type {Node, Pod, Taint} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {WatchEventType} from '../../apiserver/registry/watch.js'
import type {Clock} from '../../clock.js'
import {EventRecorder} from '../../events/recorder.js'
import type {Store} from '../../store/store.js'
import {Controller, type ControllerOptions} from '../controller.js'
import type {ObjectKey, ReconcileResult, Reconciler} from '../reconciler.js'
import {noExecuteTaints, planEviction} from './eviction-plan.js'
import {NodePodIndex} from './node-pod-index.js'
import {disruptionTargetConditions} from './pod-conditions.js'

const NODES = resourceOfKind('Node')
const PODS = resourceOfKind('Pod')
export const TAINT_EVICTION_COMPONENT = 'taint-eviction-controller'

/** When each NoExecute taint without timeAdded was first seen, per node (the upstream countdown start). */
export class TaintFirstSeen {
  private readonly seen = new Map<string, Map<string, number>>()

  /** Record the node's current NoExecute taints; returns a digest that changes when they change. */
  observe(nodeName: string, taints: readonly Taint[], nowMs: number): string {
    const before = this.seen.get(nodeName)
    const next = new Map<string, number>()
    for (const t of taints) {
      const id = `${t.key}:${t.effect}`
      next.set(id, before?.get(id) ?? nowMs)
    }
    if (next.size > 0) this.seen.set(nodeName, next)
    else this.seen.delete(nodeName)
    return JSON.stringify(taints.map((t) => [t.key, t.value ?? '', t.timeAdded ?? '']))
  }

  forget(nodeName: string): void {
    this.seen.delete(nodeName)
  }

  /** When the taint was added: timeAdded, else when first seen, else now. */
  addedAtMs(nodeName: string, taint: Taint, nowMs: number): number {
    const stamped = taint.timeAdded ? Date.parse(taint.timeAdded) : Number.NaN
    if (!Number.isNaN(stamped)) return stamped
    return this.seen.get(nodeName)?.get(`${taint.key}:${taint.effect}`) ?? nowMs
  }
}

export interface TaintEvictionOptions {
  registry: ObjectRegistry
  clock: Clock
  recorder: Pick<EventRecorder, 'event'>
  firstSeen: TaintFirstSeen
  /** Longest a pending eviction waits between checks (default: until its deadline). */
  recheckPeriodMs?: number
}

export class TaintEvictionReconciler implements Reconciler {
  readonly name = 'taint-eviction-controller'
  /** Pods with an eviction pending, so a cancellation can be reported as upstream does. */
  private readonly pending = new Set<string>()

  constructor(private readonly opts: TaintEvictionOptions) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | void> {
    const {registry, clock} = this.opts
    const id = `${key.namespace}/${key.name}`
    const pod = (await registry.tryGet(PODS, key.namespace, key.name)) as (Pod & KubeObject) | undefined
    const nodeName = pod?.spec?.nodeName
    // Gone, unbound, or already being deleted: nothing to evict.
    if (!pod || !nodeName || pod.metadata.deletionTimestamp) {
      this.pending.delete(id)
      return
    }
    const node = (await registry.tryGet(NODES, undefined, nodeName)) as Node | undefined
    const taints = noExecuteTaints(node?.spec?.taints)
    const nowMs = clock.now().getTime()
    const plan = planEviction(taints, pod.spec?.tolerations ?? [], (t) => this.opts.firstSeen.addedAtMs(nodeName, t, nowMs), nowMs)
    if (plan.action === 'keep') {
      if (this.pending.delete(id)) this.opts.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${id}`)
      return
    }
    if (plan.action === 'wait') {
      this.pending.add(id)
      return {requeueAfterMs: Math.min(plan.atMs - nowMs, this.opts.recheckPeriodMs ?? Number.POSITIVE_INFINITY)}
    }
    await this.evict(pod)
    this.pending.delete(id)
  }

  // addConditionAndDeletePod: the DisruptionTarget condition first (so the owner can tell why the
  // pod went), then a normal graceful delete of exactly this pod.
  private async evict(pod: Pod & KubeObject): Promise<void> {
    const {registry, clock, recorder} = this.opts
    const {namespace, name, uid} = pod.metadata
    recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`)
    try {
      await registry.update(
        PODS,
        namespace,
        name!,
        (live) => {
          const livePod = live as Pod & KubeObject
          const conditions = livePod.metadata.uid === uid ? disruptionTargetConditions(livePod, clock.now()) : undefined
          return conditions ? {...livePod, status: {...livePod.status, conditions}} : livePod
        },
        {manager: TAINT_EVICTION_COMPONENT, subresource: 'status'},
      )
      await registry.delete(PODS, namespace, name!, {preconditions: {uid}})
    } catch (error) {
      // Gone or replaced by a pod of the same name meanwhile: that pod gets its own reconcile.
      const code = (error as {code?: number}).code
      if (code === 404 || code === 409) return
      throw error
    }
  }
}

export interface TaintEvictionControllerDeps {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  /** Longest a pending eviction waits between checks (default: until its deadline). */
  recheckPeriodMs?: number
  recorder?: Pick<EventRecorder, 'event'>
  /** Shared informers to take events from instead of a watch per source. */
  informers?: ControllerOptions['informers']
}

/** Watches Nodes (a NoExecute taint change wakes that node's pods) and the pods of tainted nodes. */
export function createTaintEvictionController(deps: TaintEvictionControllerDeps): Controller {
  const index = new NodePodIndex()
  const firstSeen = new TaintFirstSeen()
  /** Nodes with NoExecute taints -> digest of those taints. */
  const tainted = new Map<string, string>()
  const recorder = deps.recorder ?? new EventRecorder({registry: deps.registry, clock: deps.clock, component: TAINT_EVICTION_COMPONENT})
  const nodeKeys = (obj: KubeObject, _r: unknown, event: WatchEventType): ObjectKey[] => {
    const name = obj.metadata.name!
    const taints = event === 'DELETED' ? [] : noExecuteTaints((obj as Node).spec?.taints)
    const digest = firstSeen.observe(name, taints, deps.clock.now().getTime())
    if (event === 'DELETED') firstSeen.forget(name)
    const changed = (tainted.get(name) ?? '[]') !== digest
    if (taints.length > 0) tainted.set(name, digest)
    else tainted.delete(name)
    // A node gaining, losing or changing NoExecute taints: its pods' deadlines move.
    return changed ? index.podsOn(name) : []
  }
  const podKeys = (obj: KubeObject, _r: unknown, event: WatchEventType): ObjectKey[] => {
    const nodeName = index.observe(obj, event)
    if (event === 'DELETED' || !nodeName || !tainted.has(nodeName) || obj.metadata.deletionTimestamp) return []
    return [{namespace: obj.metadata.namespace, name: obj.metadata.name!}]
  }
  return new Controller({
    store: deps.store,
    reconciler: new TaintEvictionReconciler({registry: deps.registry, clock: deps.clock, recorder, firstSeen, recheckPeriodMs: deps.recheckPeriodMs}),
    sources: [
      {resource: NODES, keysFor: nodeKeys},
      {resource: PODS, keysFor: podKeys},
    ],
    workers: 2,
    informers: deps.informers,
  })
}
