// One list+watch of one resource, shared by every controller of the control plane that reads it
// (client-go's SharedIndexInformer): the store is listed once, decoded once, kept in an indexed cache
// (informer-cache.ts) and followed with one watch; controllers get add/update/delete callbacks and read
// the cache instead of the store. When the watch ends (compaction, a watcher dropped for lagging) the
// resource is listed again and the cache replaced; keys that vanished meanwhile are reported as deletes.
//
// Cached objects carry no metadata.managedFields, like kube-controller-manager's and kube-scheduler's
// informers (client-go's TransformStripManagedFields): controllers never read them, and on a pod
// they are a large part of the object (10,000 pods are held here for the whole run).
//
// Staleness: the cache trails the store by the events still in flight. `revision` is the store revision
// the cache reflects (for this resource), and waitForRevision() lets a controller wait until its own
// writes are visible before it decides again (see read-your-writes.ts).
import type {ResourceType} from '../../api/resources.js'
import {keyPrefix} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import {decodeStored} from '../../apiserver/registry/codec.js'
import {withTypeMeta} from '../../apiserver/registry/object-registry.js'
import {watchObjects} from '../../apiserver/registry/watch.js'
import {logger} from '../../log.js'
import type {Store} from '../../store/store.js'
import {InformerCache, keyOf, type IndexFunc} from './informer-cache.js'
import {NAMESPACE_INDEX, namespaceIndex} from './indexers.js'

/** Callbacks get the cached objects themselves: read them, never change them. */
export interface InformerEventHandler {
  onAdd?(obj: KubeObject): void
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void
  /** The last state the cache held. */
  onDelete?(obj: KubeObject): void
}

export interface SharedInformerOptions {
  /** Deep-freeze cached objects (tests: a reader that mutates one throws). */
  freeze?: boolean
  relistDelayMs?: number
}

const DECODE_SLICE = 250

export class SharedInformer {
  readonly cache: InformerCache
  private readonly handlers = new Set<InformerEventHandler>()
  private readonly log = logger('informer')
  private users = 0
  private abort?: AbortController
  private running?: Promise<void>
  private synced = false
  private syncWaiters: Array<() => void> = []
  private revisionWaiters: Array<{revision: number; resolve: () => void}> = []
  private currentRevision = 0

  constructor(
    private readonly store: Store,
    readonly resource: ResourceType,
    private readonly opts: SharedInformerOptions = {},
  ) {
    this.cache = new InformerCache({freeze: opts.freeze})
    this.cache.addIndexer(NAMESPACE_INDEX, namespaceIndex)
  }

  addIndexer(name: string, fn: IndexFunc): void {
    this.cache.addIndexer(name, fn)
  }

  /**
   * Registers callbacks; returns the function that removes them. A handler added after the first
   * listing is told about every cached object as an add, so it misses nothing (as client-go does).
   */
  addEventHandler(handler: InformerEventHandler): () => void {
    this.handlers.add(handler)
    if (this.synced && handler.onAdd) for (const obj of this.cache.list()) this.call(() => handler.onAdd!(obj))
    return () => this.handlers.delete(handler)
  }

  /** The store revision the cache reflects for this resource (0 before the first listing). */
  get revision(): number {
    return this.currentRevision
  }

  hasSynced(): boolean {
    return this.synced
  }

  /** Resolves true once the first listing is in the cache, false if the signal aborts first. */
  whenSynced(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true)
    return this.waitOrAbort((resolve) => this.syncWaiters.push(resolve), signal)
  }

  /**
   * Resolves true once the cache reflects `revision` (every event of this resource up to it applied),
   * false when the signal aborts or `timeoutMs` passes first.
   */
  waitForRevision(revision: number, signal?: AbortSignal, timeoutMs = 10_000): Promise<boolean> {
    if (this.currentRevision >= revision) return Promise.resolve(true)
    return this.waitOrAbort((resolve) => this.revisionWaiters.push({revision, resolve}), signal, timeoutMs)
  }

  /**
   * Declares a user: the first one starts the list+watch, and when the last one releases it stops, so
   * no owner has to remember to stop shared informers. Returns the release function (idempotent).
   */
  acquire(): () => void {
    this.users++
    if (this.users === 1) this.start()
    let released = false
    return () => {
      if (released) return
      released = true
      if (--this.users === 0) void this.stop()
    }
  }

  private start(): void {
    this.abort = new AbortController()
    this.running = this.run(this.abort.signal)
  }

  private async stop(): Promise<void> {
    this.abort?.abort(new Error('informer stopping'))
    await this.running
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const revision = await this.list(signal)
        if (signal.aborted) return
        const watch = await watchObjects(this.store, this.resource, {resourceVersion: String(revision)})
        const onAbort = () => watch.close()
        signal.addEventListener('abort', onAbort, {once: true})
        try {
          for await (const event of watch.events) {
            if (event.type === 'DELETED') {
              const old = this.cache.remove(keyOf(event.object))
              if (old) this.dispatch((h) => h.onDelete?.(old))
            } else {
              const obj = withoutManagedFields(event.object)
              const old = this.cache.upsert(obj)
              this.dispatch((h) => (old ? h.onUpdate?.(old, obj) : h.onAdd?.(obj)))
            }
            this.advance(Number(event.object.metadata.resourceVersion))
          }
        } finally {
          signal.removeEventListener('abort', onAbort)
          watch.close()
        }
      } catch (error) {
        if (signal.aborted) return
        this.log.warn({err: error, resource: this.resource.plural}, 'informer watch failed; relisting')
      }
      if (signal.aborted) return
      await new Promise((resolve) => setTimeout(resolve, this.opts.relistDelayMs ?? 200).unref())
    }
  }

  /** Lists the resource into the cache (decoding in slices so requests keep being served); returns its revision. */
  private async list(signal: AbortSignal): Promise<number> {
    const {items, revision} = await this.store.list(keyPrefix(this.resource))
    const objects: KubeObject[] = []
    for (let i = 0; i < items.length && !signal.aborted; i += DECODE_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve))
      for (const kv of items.slice(i, i + DECODE_SLICE)) objects.push(withoutManagedFields(withTypeMeta(this.resource, decodeStored(kv))))
    }
    if (signal.aborted) return revision
    const {added, updated, deleted} = this.cache.replace(objects)
    for (const obj of deleted) this.dispatch((h) => h.onDelete?.(obj))
    for (const obj of added) this.dispatch((h) => h.onAdd?.(obj))
    for (const [old, obj] of updated) this.dispatch((h) => h.onUpdate?.(old, obj))
    this.advance(revision)
    if (!this.synced) {
      this.synced = true
      for (const resolve of this.syncWaiters.splice(0)) resolve()
    }
    return revision
  }

  private advance(revision: number): void {
    if (!(revision > this.currentRevision)) return
    this.currentRevision = revision
    if (this.revisionWaiters.length === 0) return
    const still: typeof this.revisionWaiters = []
    for (const w of this.revisionWaiters) if (w.revision <= revision) w.resolve()
    else still.push(w)
    this.revisionWaiters = still
  }

  private dispatch(call: (h: InformerEventHandler) => void): void {
    for (const handler of this.handlers) this.call(() => call(handler))
  }

  private call(fn: () => void): void {
    try {
      fn()
    } catch (error) {
      // One faulty handler must not stop the others or the informer.
      this.log.error({err: error, resource: this.resource.plural}, 'informer event handler failed')
    }
  }

  private waitOrAbort(register: (resolve: () => void) => void, signal?: AbortSignal, timeoutMs?: number): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false)
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const finish = (value: boolean) => {
        if (timer) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        resolve(value)
      }
      const onAbort = () => finish(false)
      signal?.addEventListener('abort', onAbort, {once: true})
      if (timeoutMs !== undefined) timer = setTimeout(() => finish(false), timeoutMs).unref()
      register(() => finish(true))
    })
  }
}

/** A shallow copy without metadata.managedFields (watch event objects are shared: never changed in place). */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata.managedFields === undefined) return obj
  const {managedFields: _dropped, ...metadata} = obj.metadata
  return {...obj, metadata}
}
