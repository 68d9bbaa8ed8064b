// kcluster's scheduler as a controller: informers keep a SchedulerCache of nodes, bound pods and
// namespaces; each pending pod addressed to this scheduler is a work-queue key. A reconcile runs one
// scheduling cycle synchronously over the cache, assumes the pod onto the chosen node (so concurrent
// workers see it) and binds through pods/binding in the background, as kube-scheduler's binding cycle
// does: the next pod is scheduled while the binding's write waits for the store. A pod that fits nowhere gets PodScheduled=False
// (Unschedulable, with kube-scheduler's message) and a FailedScheduling event, and waits for a
// cluster change, retried with back-off.
import type {Namespace, Node, Pod} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import {bindPod} from '../apiserver/registry/bind-pod.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import {Controller} from '../controllers/controller.js'
import {keyFromString, keyToString, type ObjectKey, type ReconcileResult, type Reconciler} from '../controllers/reconciler.js'
import {EventRecorder} from '../events/recorder.js'
import type {Store} from '../store/store.js'
import type {SharedInformerFactory} from '../controllers/informers/shared-informer-factory.js'
import {Informer} from './informer.js'
import {buildPodInfo} from './pod-info.js'
import type {PodInfo} from './types.js'
import {SchedulerCache} from './scheduler-cache.js'
import {schedulePod} from './schedule-pod.js'
import {unschedulableStatusUpdate} from './unschedulable-status.js'
import {UnschedulablePods, type BackoffOptions} from './unschedulable-pods.js'

const find = resourceOfKind
const PODS = find('Pod')
/** Like upstream's podMaxInUnschedulablePodsDuration: retry a waiting pod at least this often. */
const UNSCHEDULABLE_FLUSH_MS = 5 * 60_000
/** Bindings in flight at most; a scheduling cycle past it waits for one to finish (bounded memory). */
const MAX_BINDINGS_IN_FLIGHT = 256
/** Retry delay after a binding failed for another reason than 404/409 (the store refused it). */
const BIND_RETRY_MS = 1000

/** The part of EventRecorder the scheduler uses. */
export interface SchedulerEventSink {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void
}

export interface SchedulerDeps {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  /** The control plane's own node (ControllerDeps); the scheduler places pods on every node alike. */
  nodeName?: string
  /** Pods whose spec.schedulerName is this (default `default-scheduler`) are ours. */
  schedulerName?: string
  workers?: number
  /** Events (Scheduled, FailedScheduling); default: an EventRecorder with this scheduler's name. */
  events?: SchedulerEventSink
  /** Called after each failed attempt with the FailedScheduling message (metrics, tests). */
  onUnschedulable?(pod: Pod, message: string): void
  backoff?: BackoffOptions
  /** The control plane's shared informers: nodes, pods and namespaces are followed through them. */
  informers?: SharedInformerFactory
}

export class Scheduler implements Reconciler {
  readonly name: string
  readonly cache: SchedulerCache
  private readonly unschedulable: UnschedulablePods
  private readonly informers: Informer[]
  private readonly synced: Promise<unknown>
  private readonly abort = new AbortController()
  private readonly running: Promise<void>[] = []
  private readonly events: SchedulerEventSink
  private enqueue: (key: string) => void = () => undefined
  private moveScheduled = false
  private readonly binding = new Set<Promise<void>>()

  constructor(private readonly deps: SchedulerDeps) {
    const schedulerName = deps.schedulerName ?? 'default-scheduler'
    this.name = `scheduler:${schedulerName}`
    this.events = deps.events ?? new EventRecorder({registry: deps.registry, clock: deps.clock, component: schedulerName})
    this.unschedulable = new UnschedulablePods(deps.clock, (key) => this.enqueue(key), deps.backoff)
    this.cache = new SchedulerCache(schedulerName, {
      pending: (key, changed) => {
        if (changed || !this.unschedulable.has(key)) this.enqueue(key)
      },
      pendingGone: (key) => this.unschedulable.forget(key),
      clusterChanged: () => this.scheduleMove(),
    })
    const c = this.cache
    // Watch events carry KubeObjects; the cache reads them as the typed Kubernetes objects they are.
    const typed = <T>(o: KubeObject) => o as unknown as T
    const shared = (kind: string) => deps.informers?.informerFor(find(kind))
    this.informers = [
      new Informer(deps.store, deps.registry, find('Node'), {
        replace: (list) => c.replaceNodes(list.map(typed<Node>)),
        upsert: (o) => c.upsertNode(typed<Node>(o)),
        remove: (o) => c.deleteNode(o.metadata.name!),
      }, shared('Node')),
      new Informer(deps.store, deps.registry, PODS, {
        replace: (list) => c.replacePods(list.map(typed<Pod>)),
        upsert: (o) => c.upsertPod(typed<Pod>(o)),
        remove: (o) => c.deletePod(typed<Pod>(o)),
      }, shared('Pod')),
      new Informer(deps.store, deps.registry, find('Namespace'), {
        replace: (list) => c.replaceNamespaces(list.map(typed<Namespace>)),
        upsert: (o) => c.upsertNamespace(typed<Namespace>(o)),
        remove: (o) => c.deleteNamespace(typed<Namespace>(o)),
      }, shared('Namespace')),
    ]
    this.synced = Promise.all(this.informers.map((i) => i.synced))
  }

  get schedulerName(): string {
    return this.deps.schedulerName ?? 'default-scheduler'
  }

  /** Starts the informers; keys go to enqueue. */
  start(enqueue: (key: string) => void): void {
    this.enqueue = enqueue
    for (const informer of this.informers) this.running.push(informer.run(this.abort.signal))
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('scheduler stopping'))
    this.unschedulable.stop()
    await Promise.allSettled([...this.running, ...this.binding])
  }

  /** Resolves once nodes, pods and namespaces have been listed. */
  whenSynced(): Promise<unknown> {
    return this.synced
  }

  async reconcile(key: ObjectKey, signal: AbortSignal): Promise<ReconcileResult | void> {
    if (!(await this.waitForSync(signal))) return
    const k = keyToString(key)
    // A binding in flight: its outcome (event or failure) decides what happens next.
    if (this.cache.isAssumed(k)) return
    const pod = this.cache.pendingPod(k)
    if (!pod) {
      this.unschedulable.forget(k)
      return
    }
    const info = buildPodInfo(pod)
    const result = schedulePod(info, this.cache)
    if (result.outcome === 'scheduled') {
      // Assumed at once, so the next cycle (of any worker) sees the node's resources taken.
      this.cache.assume(info, result.node)
      const binding = this.bind(pod, k, info, result.node).finally(() => this.binding.delete(binding))
      this.binding.add(binding)
      if (this.binding.size >= MAX_BINDINGS_IN_FLIGHT) await Promise.race(this.binding)
      return
    }
    // Parked before the status write, so the watch event of that write does not count as a reason to retry.
    this.unschedulable.park(k)
    await this.recordFailure(pod, result.reason, result.message)
    return {requeueAfterMs: UNSCHEDULABLE_FLUSH_MS}
  }

  /** The binding cycle of an assumed pod; never rejects (a failure un-assumes it and retries the key). */
  private async bind(pod: Pod, key: string, info: PodInfo, node: string): Promise<void> {
    const {namespace, name} = info
    try {
      await bindPod(this.deps.registry, PODS, namespace, name, node, this.schedulerName, this.deps.clock.now())
    } catch (error) {
      this.cache.forget(key)
      const code = (error as {code?: unknown}).code
      // Deleted meanwhile: nothing to do. Bound by someone else or being deleted: look again once the
      // cache has caught up (the key is no longer pending by then).
      if (code === 404 || this.abort.signal.aborted) return
      this.retryLater(key, code === 409 ? 200 : BIND_RETRY_MS)
      return
    }
    this.unschedulable.forget(key)
    this.events.event(pod as KubeObject, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`)
  }

  private async recordFailure(pod: Pod, reason: string, message: string): Promise<void> {
    const {namespace, name} = pod.metadata as {namespace: string; name: string}
    const update = unschedulableStatusUpdate(reason, message, this.deps.clock.now())
    // The cached pod already says so: skip the read-modify-write entirely.
    if (update(pod as KubeObject) !== undefined) {
      try {
        await this.deps.registry.update(PODS, namespace, name, (live) => update(live!) ?? live!, {manager: this.schedulerName, subresource: 'status'})
      } catch (error) {
        if ((error as {code?: unknown}).code === 404) return
        throw error
      }
    }
    this.events.event(pod as KubeObject, 'Warning', 'FailedScheduling', message)
    this.deps.onUnschedulable?.(pod, message)
  }

  private async waitForSync(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false
    let onAbort: () => void = () => undefined
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve
      signal.addEventListener('abort', onAbort, {once: true})
    })
    try {
      await Promise.race([this.synced, aborted])
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
    return !signal.aborted
  }

  private retryLater(key: string, ms: number): void {
    const timer = setTimeout(() => {
      if (!this.abort.signal.aborted) this.enqueue(key)
    }, ms)
    timer.unref()
  }

  // Cluster changes come in bursts (every binding is one); one move per turn of the event loop is enough.
  private scheduleMove(): void {
    if (this.moveScheduled) return
    this.moveScheduled = true
    setImmediate(() => {
      this.moveScheduled = false
      this.unschedulable.moveAll()
    })
  }
}

class SchedulerController extends Controller {
  constructor(
    readonly scheduler: Scheduler,
    store: Store,
    workers: number,
  ) {
    super({store, reconciler: scheduler, sources: [], workers})
  }

  override start(): void {
    this.scheduler.start((key) => this.enqueue(keyFromString(key)))
    super.start()
  }

  override async stop(): Promise<void> {
    await super.stop()
    await this.scheduler.stop()
  }
}

/** The scheduler as a Controller for the control plane's list (see ControllerDeps). */
export function createScheduler(deps: SchedulerDeps): Controller & {scheduler: Scheduler} {
  const scheduler = new Scheduler(deps)
  return new SchedulerController(scheduler, deps.store, deps.workers ?? 16)
}
