// Runs one reconciler: watches the resources it cares about, maps events to keys, and feeds a work
// queue drained by a few workers. Failed reconciles are retried with exponential back-off; a watch
// that ends (compaction, overflow) is re-established from a fresh list, so no change is ever missed.
import {setMaxListeners} from 'node:events'
import type {ResourceType} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import {watchObjects, type WatchEventType} from '../apiserver/registry/watch.js'
import {logger} from '../log.js'
import type {Store} from '../store/store.js'
import {WorkQueue} from './work-queue.js'
import type {SharedInformerFactory} from './informers/shared-informer-factory.js'
import type {SharedInformer} from './informers/shared-informer.js'
import {keyFromString, keyToString, type ObjectKey, type Reconciler} from './reconciler.js'

export interface WatchSource {
  resource: ResourceType
  /**
   * Keys to reconcile when this object changes (default: the object's own key): a predicate, like
   * controller-runtime's. It may look at the event type; reconcilers never do.
   */
  keysFor?: (obj: KubeObject, resource: ResourceType, event: WatchEventType) => ObjectKey[]
  /**
   * Reconcile a key woken by this source at most once per this many ms (the first event runs at
   * once). For sources that fire in bursts for one key, e.g. a ReplicaSet's pods.
   */
  throttleMs?: number
  /**
   * Reconcile the keys only after this many ms (undefined or <= 0: at once), for reconcilers that act
   * on a deadline the object carries (the event TTL): the reconcile then runs once, when it is due,
   * instead of now only to ask to be requeued then.
   */
  delayFor?: (obj: KubeObject) => number | undefined
}

export interface ControllerOptions {
  store: Store
  reconciler: Reconciler
  sources: WatchSource[]
  workers?: number
  maxBackoffMs?: number
  /** Take events from these shared informers rather than opening a watch per source. */
  informers?: SharedInformerFactory
}

export class Controller {
  private readonly queue = new WorkQueue()
  private readonly abort = new AbortController()
  private readonly failures = new Map<string, number>()
  private readonly running: Promise<void>[] = []
  private readonly releases: Array<() => void> = []
  private readonly shared: SharedInformer[] = []
  private readonly log

  constructor(private readonly opts: ControllerOptions) {
    this.log = logger(`controller:${opts.reconciler.name}`)
    // One abort listener per watched kind (the garbage collector watches them all).
    setMaxListeners(0, this.abort.signal)
  }

  /** The reconciler's name. */
  get name(): string {
    return this.opts.reconciler.name
  }

  start(): void {
    for (const source of this.opts.sources) {
      if (this.opts.informers) this.subscribe(source, this.opts.informers.informerFor(source.resource))
      else this.running.push(this.watchForever(source))
    }
    for (let i = 0; i < (this.opts.workers ?? 4); i++) this.running.push(this.work())
  }

  enqueue(key: ObjectKey): void {
    this.queue.add(keyToString(key))
  }

  private enqueueFrom(source: WatchSource, key: ObjectKey, obj: KubeObject): void {
    const delay = source.delayFor?.(obj)
    if (delay !== undefined && delay > 0) this.queue.addAfter(keyToString(key), delay)
    else if (source.throttleMs) this.queue.addThrottled(keyToString(key), source.throttleMs)
    else this.queue.add(keyToString(key))
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('controller stopping'))
    this.queue.shutDown()
    for (const release of this.releases.splice(0)) release()
    await Promise.allSettled(this.running)
  }

  /** The source's events through the shared informer, mapped by the same keysFor predicate. */
  private subscribe(source: WatchSource, informer: SharedInformer): void {
    const enqueueFor = (obj: KubeObject, event: WatchEventType) => {
      const keys = source.keysFor ? source.keysFor(obj, source.resource, event) : [{namespace: obj.metadata.namespace, name: obj.metadata.name!}]
      for (const key of keys) this.enqueueFrom(source, key, obj)
    }
    this.releases.push(
      informer.addEventHandler({
        onAdd: (obj) => enqueueFor(obj, 'ADDED'),
        onUpdate: (_old, obj) => enqueueFor(obj, 'MODIFIED'),
        onDelete: (obj) => enqueueFor(obj, 'DELETED'),
      }),
      informer.acquire(),
    )
    this.shared.push(informer)
  }

  private async watchForever(source: WatchSource): Promise<void> {
    const signal = this.abort.signal
    while (!signal.aborted) {
      try {
        // resourceVersion '' replays the current state as ADDED, so every relist re-queues everything.
        const watch = await watchObjects(this.opts.store, source.resource, {resourceVersion: ''})
        const onAbort = () => watch.close()
        signal.addEventListener('abort', onAbort, {once: true})
        try {
          for await (const event of watch.events) {
            const keys = source.keysFor ? source.keysFor(event.object, source.resource, event.type) : [{namespace: event.object.metadata.namespace, name: event.object.metadata.name!}]
            for (const key of keys) this.enqueueFrom(source, key, event.object)
          }
        } finally {
          signal.removeEventListener('abort', onAbort)
        }
      } catch (error) {
        if (signal.aborted) return
        this.log.warn({err: error, resource: source.resource.plural}, 'watch failed; relisting')
        await new Promise((r) => setTimeout(r, 200).unref())
      }
    }
  }

  private async work(): Promise<void> {
    for (const informer of this.shared) if (!(await informer.whenSynced(this.abort.signal))) return
    for (;;) {
      // Yield to I/O between reconciles: after a restart thousands of keys are queued at once, and API
      // requests (readiness checks, kubectl) must not wait behind all of them.
      await new Promise((resolve) => setImmediate(resolve))
      const text = await this.queue.get()
      if (text === undefined) return
      try {
        const result = await this.opts.reconciler.reconcile(keyFromString(text), this.abort.signal)
        this.failures.delete(text)
        if (result?.requeueAfterMs !== undefined) this.queue.addAfter(text, result.requeueAfterMs)
      } catch (error) {
        if (this.abort.signal.aborted) return
        const count = (this.failures.get(text) ?? 0) + 1
        this.failures.set(text, count)
        const delay = Math.min(this.opts.maxBackoffMs ?? 30_000, 5 * 2 ** Math.min(count, 16))
        this.log.debug({err: error, key: text, retryInMs: delay}, 'reconcile failed; retrying')
        this.queue.addAfter(text, delay)
      } finally {
        this.queue.done(text)
      }
    }
  }
}
