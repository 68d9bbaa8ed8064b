// A minimal informer for the scheduler cache: list, hand the whole state over, then apply watch
// events from the listed revision. When the watch ends (compaction, a watcher dropped for lagging)
// it lists again and replaces the state, so deletions missed in between cannot leave stale entries.
import type {ResourceType} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {watchObjects} from '../apiserver/registry/watch.js'
import {logger} from '../log.js'
import type {Store} from '../store/store.js'

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
  ) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve))
  }

  /** Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
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
}
