// Read-your-writes over a shared informer: the part of upstream's ControllerExpectations that
// kcluster needs. A controller that reads a cache may run again (woken by the first of its own
// events) before the cache holds everything it just wrote, and would then, say, create the same pods
// twice. So each write's resourceVersion is recorded against the reconcile key, and the next sync of
// that key first waits until the informer has caught up to it. Unlike counting expected adds and
// deletes, a revision cannot be left unsatisfied by an event that was never delivered (a relist also
// moves the informer past it), so no expiry is needed.
import type {KubeObject} from '../../api/types.js'
import type {SharedInformer} from './shared-informer.js'

/** The cache did not catch up in time; the sync is retried with back-off rather than acting on stale data. */
export class CacheBehindError extends Error {
  override name = 'CacheBehindError'
  readonly code = 'CACHE_BEHIND'
}

export class ReadYourWrites {
  private readonly pending = new Map<string, number>()

  constructor(
    private readonly informer: SharedInformer,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Records a write made for `key`; `written` is what the registry returned (undefined: nothing written). */
  wrote(key: string, written: KubeObject | undefined): void {
    const revision = Number(written?.metadata.resourceVersion)
    if (!(revision > 0)) return
    if (revision > (this.pending.get(key) ?? 0)) this.pending.set(key, revision)
  }

  /** Waits until the cache reflects every write recorded for `key`; throws CacheBehindError on timeout. */
  async settle(key: string, signal?: AbortSignal): Promise<void> {
    const revision = this.pending.get(key)
    if (revision === undefined) return
    if (!(await this.informer.waitForRevision(revision, signal, this.timeoutMs))) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted')
      throw new CacheBehindError(`${this.informer.resource.plural} cache is behind revision ${revision} written for ${key}`)
    }
    // Only forget what was waited for: a write recorded meanwhile (another worker never holds the same key,
    // but be exact anyway) keeps its own entry.
    if (this.pending.get(key) === revision) this.pending.delete(key)
  }

  /** Pending entries (tests, metrics). */
  get size(): number {
    return this.pending.size
  }
}
