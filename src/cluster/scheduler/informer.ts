// A minimal informer for the scheduler cache: list, hand the whole state over, then apply watch
// events from the listed revision. When the watch ends (compaction, a watcher dropped for lagging)
// it lists again and replaces the state, so deletions missed in between cannot leave stale entries.
// Given the control plane's SharedInformer for the resource, it is a thin adapter instead: the first
// synced cache is handed over with replace(), then the shared informer's callbacks (whose relists
// report vanished keys as deletes) become upsert/remove, and no list or watch of its own is opened.
import type {ResourceType} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {watchObjects} from '../apiserver/registry/watch.js'
import {logger} from '../log.js'
import type {Store} from '../store/store.js'
import type {SharedInformer} from '../controllers/informers/shared-informer.js'

export interface InformerHandler {
  replace(objects: KubeObject[]): void
  upsert(object: KubeObject): void
  remove(object: KubeObject): void
}

const RELIST_DELAY_MS = 200

export class Informer {
  readonly synced: Promise<void>
  private markSynced!: () => void
  private readonly log = logger('scheduler-informer')

  constructor(
    private readonly store: Store,
    private readonly registry: ObjectRegistry,
    private readonly resource: ResourceType,
    private readonly handler: InformerHandler,
    private readonly shared?: SharedInformer,
  ) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve))
  }

  /** Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.shared) return this.runShared(this.shared, signal)
    while (!signal.aborted) {
      try {
        const {items, resourceVersion} = await this.registry.list(this.resource)
        if (signal.aborted) return
        this.handler.replace(items)
        this.markSynced()
        const watch = await watchObjects(this.store, this.resource, {resourceVersion})
        const onAbort = () => watch.close()
        signal.addEventListener('abort', onAbort, {once: true})
        try {
          for await (const event of watch.events) {
            if (event.type === 'DELETED') this.handler.remove(event.object)
            else this.handler.upsert(event.object)
          }
        } finally {
          signal.removeEventListener('abort', onAbort)
          watch.close()
        }
      } catch (error) {
        if (signal.aborted) return
        this.log.warn({err: error, resource: this.resource.plural}, 'scheduler watch failed; relisting')
      }
      if (signal.aborted) return
      await new Promise((resolve) => setTimeout(resolve, RELIST_DELAY_MS).unref())
    }
  }

  private async runShared(shared: SharedInformer, signal: AbortSignal): Promise<void> {
    // Callbacks before the hand-over are already in the cache that replace() gets, so they are skipped.
    let live = false
    const removeHandler = shared.addEventHandler({
      onAdd: (obj) => live && this.handler.upsert(obj),
      onUpdate: (_old, obj) => live && this.handler.upsert(obj),
      onDelete: (obj) => live && this.handler.remove(obj),
    })
    const release = shared.acquire()
    try {
      if (!(await shared.whenSynced(signal))) return
      this.handler.replace(shared.cache.list())
      live = true
      this.markSynced()
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve()
        else signal.addEventListener('abort', () => resolve(), {once: true})
      })
    } finally {
      removeHandler()
      release()
    }
  }
}
