// Keeps the event log bounded: every interval, drop history older than the last `keepRevisions`
// revisions. Watchers that fall further behind get CompactedError and re-list, as with etcd.
import {systemClock, type Clock} from '../clock.js'
import {logger} from '../log.js'
import {StoreError, type Store} from './store.js'

const log = logger('store')

export type CompactableStore = Pick<Store, 'revision' | 'compactRevision' | 'compact'>

export interface AutoCompactionOptions {
  /** Revisions of history to keep behind the current one. Default 10,000. */
  keepRevisions?: number
  /** Time between compactions. Default 5 minutes (kube-apiserver's default). */
  intervalMs?: number
  clock?: Clock
}

export interface AutoCompaction {
  /** Stops the loop; resolves once any compaction in flight has finished. */
  stop(): Promise<void>
}

/** Compacts to revision - keepRevisions when that is ahead of the current compact revision; returns the target or undefined. */
export async function compactOnce(store: CompactableStore, keepRevisions: number): Promise<number | undefined> {
  const target = store.revision() - keepRevisions
  if (target <= store.compactRevision()) return undefined
  await store.compact(target)
  return target
}

export function startAutoCompaction(store: CompactableStore, options: AutoCompactionOptions = {}): AutoCompaction {
  const {keepRevisions = 10_000, intervalMs = 5 * 60_000, clock = systemClock} = options
  const controller = new AbortController()
  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        await clock.sleep(intervalMs, controller.signal)
      } catch {
        return // aborted by stop()
      }
      try {
        const target = await compactOnce(store, keepRevisions)
        if (target !== undefined) log.debug({compactRevision: target}, 'auto-compacted')
      } catch (error) {
        if (error instanceof StoreError && error.code === 'STORE_CLOSED') return
        log.warn({err: error}, 'auto-compaction failed')
      }
    }
  })()
  return {
    async stop() {
      controller.abort()
      await loop
    },
  }
}
