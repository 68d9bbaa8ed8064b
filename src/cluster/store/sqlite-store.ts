// The durable Store: SQLite in WAL mode with one global revision counter. Writes of one event-loop
// turn commit in one transaction, whose WAL is then fsynced off the event loop (wal-sync.ts) before
// any of them is acknowledged or shown: reads and watchers see durable state only; watchers replay
// the log then go live.
import {mkdir} from 'node:fs/promises'
import {dirname} from 'node:path'
import {logger} from '../log.js'
import {applyBatch, type WriteOp, type WriteOutcome} from './apply-batch.js'
import {writeCleanMarker} from './clean-shutdown.js'
import {historyRowDamage, kvRowIntact} from './row-checksum.js'
import {openDatabase, type SqliteDatabase} from './sqlite-schema.js'
import {eventFromLogRow, kvFromRow, prefixEnd, prepareStatements, type HistoryRow, type KvRow, type Statements} from './sqlite-statements.js'
import {isCorruption, isDiskFull, StoreCorruptError, StoreFullError} from './storage-errors.js'
import {
  CompactedError,
  StoreError,
  StoreUnavailableError,
  type KeyValue,
  type ListResult,
  type Store,
  type StoreEvent,
  type Watch,
} from './store.js'
import {walSync, type WalSync} from './wal-sync.js'
import {WatchStream} from './watch-stream.js'
import {WriteBatcher} from './write-batcher.js'

const log = logger('store')

export interface SqliteStoreOptions {
  /** Live events a watcher may have pending before it fails with WATCH_OVERFLOW. Default 10,000. */
  watchBufferLimit?: number
  /** Log rows read per history page during watch replay. Default 500. */
  replayPageSize?: number
  /** Most writes committed in one transaction; the rest wait for the next turn. Default 1,000. */
  maxBatchSize?: number
  /** Makes a commit durable (default: fdatasync of the WAL file); tests inject one to hold it. */
  walSync?: WalSync
}

export interface SqliteStoreStats {
  /** Write transactions committed since open (one per non-empty tick). */
  transactions: number
  watchers: number
  /** Whether open ran the full damage scan (no matching clean-close marker) rather than the cheap length check. */
  scannedAtOpen: boolean
}

/** Opens or creates the store at `path` (':memory:' for a throwaway one); STORE_CORRUPT on damage. */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  if (path !== ':memory:') await mkdir(dirname(path), {recursive: true})
  const {db, counters, scanned} = openDatabase(path)
  log.info({path, revision: counters.revision, compactRevision: counters.compactRevision, scanned}, 'store opened')
  return new SqliteStore(path, db, counters, options, scanned)
}

export class SqliteStore implements Store {
  private readonly statements: Statements
  private readonly batcher: WriteBatcher<WriteOp, StoreEvent>
  private readonly transaction: (ops: WriteOp[], start: number) => {revision: number; outcomes: WriteOutcome[]}
  private readonly watchers = new Set<WatchStream>()
  private readonly watchBufferLimit: number
  private readonly replayPageSize: number
  /** The last committed revision (possibly not yet durable). */
  private currentRevision: number
  /** The last revision on stable storage: what reads, watchers and revision() may show. */
  private durableRevision: number
  private readonly wal: WalSync
  /** Set when a WAL sync failed: the file may hold writes that were reported failed, so nothing more is served. */
  private broken: StoreError | undefined
  private compacted: number
  private transactions = 0
  private closed = false
  private closing = false
  /** Set once any read met a damaged row: the close then leaves no clean marker, so the next open scans. */
  private damaged = false

  /** Use openSqliteStore(); this takes an already validated database. */
  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    counters: {revision: number; compactRevision: number},
    options: SqliteStoreOptions = {},
    private readonly scannedAtOpen = false,
  ) {
    this.statements = prepareStatements(db)
    this.currentRevision = counters.revision
    this.durableRevision = counters.revision
    this.wal = options.walSync ?? walSync(path)
    this.compacted = counters.compactRevision
    this.watchBufferLimit = options.watchBufferLimit ?? 10_000
    this.replayPageSize = options.replayPageSize ?? 500
    this.transaction = db.transaction((ops: WriteOp[], start: number) => applyBatch(this.statements, ops, start))
    this.batcher = new WriteBatcher<WriteOp, StoreEvent>((ops) => this.commit(ops), options.maxBatchSize ?? 1000, (outcomes, sync) => this.settle(outcomes, sync))
  }

  async get(key: string): Promise<KeyValue | undefined> {
    await this.durableState()
    const row = this.read(() => this.statements.getKv.get(key))
    return row ? kvFromRow(this.intact(row)) : undefined
  }

  // Reads are synchronous and commits happen whole between event-loop turns, so the rows and the
  // revision read here belong to the same committed (and, after durableState, durable) state.
  async list(prefix: string): Promise<ListResult> {
    await this.durableState()
    const end = prefixEnd(prefix)
    const rows = this.read(() => (end === undefined ? this.statements.listFrom.all(prefix) : this.statements.listRange.all(prefix, end)))
    return {revision: this.durableRevision, items: rows.map((row) => kvFromRow(this.intact(row)))}
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const event = await this.submit({kind: 'create', key, value})
    return event.kv
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const event = await this.submit({kind: 'update', key, value, expectedRevision})
    return event.kv
  }

  /** `deleted` is the value as last written (its modRevision is that write); `revision` is the deletion's. */
  async delete(key: string, expectedRevision?: number): Promise<{deleted: KeyValue; revision: number}> {
    const event = await this.submit({kind: 'delete', key, expectedRevision})
    return {deleted: event.prevKv!, revision: event.revision}
  }

  /**
   * Throws CompactedError synchronously when fromRevision < compactRevision(). The iterator may still
   * fail with CompactedError if a compaction overtakes its replay, or StoreError WATCH_OVERFLOW if
   * the consumer falls more than watchBufferLimit live events behind.
   */
  watch(prefix: string, fromRevision: number): Watch {
    this.assertOpen()
    if (fromRevision < this.compacted) throw new CompactedError(fromRevision, this.compacted)
    // Registering and fixing the replay bound happen in one synchronous step, so no commit can fall
    // between history (<= registeredAt) and live events (> registeredAt). A batch committed but not
    // yet durable is above registeredAt: the watcher gets it live once it is durable.
    const stream = new WatchStream({
      prefix,
      fromRevision,
      registeredAt: this.durableRevision,
      history: {read: (after, upTo, limit) => this.readHistory(prefix, after, upTo, limit), compactRevision: () => this.compacted},
      bufferLimit: this.watchBufferLimit,
      pageSize: this.replayPageSize,
      onEnd: (ended) => this.watchers.delete(ended),
    })
    this.watchers.add(stream)
    return {events: stream, close: () => stream.close()}
  }

  revision(): number {
    return this.durableRevision
  }

  compactRevision(): number {
    return this.compacted
  }

  /** Drops log rows at or below `upTo` (capped at the current revision); a no-op when already compacted. */
  async compact(upTo: number): Promise<void> {
    this.assertOpen()
    const target = Math.min(upTo, this.durableRevision)
    if (target <= this.compacted) return
    try {
      this.db.transaction(() => {
        this.statements.deleteLogUpTo.run(target)
        this.statements.setMeta.run(target, 'compact_revision')
      })()
    } catch (cause) {
      throw this.writeFailure(`compact ${this.path} to ${target}`, cause)
    }
    this.compacted = target
    log.debug({revision: this.currentRevision, compactRevision: target}, 'compacted')
  }

  async close(): Promise<void> {
    if (this.closed || this.closing) return
    this.closing = true
    await this.batcher.drain()
    this.closed = true
    for (const watcher of [...this.watchers]) watcher.close()
    this.db.close()
    this.wal.close()
    if (this.path !== ':memory:' && !this.damaged) writeCleanMarker(this.path)
    log.info({path: this.path, revision: this.currentRevision}, 'store closed')
  }

  stats(): SqliteStoreStats {
    return {transactions: this.transactions, watchers: this.watchers.size, scannedAtOpen: this.scannedAtOpen}
  }

  /**
   * Caps the file at `pages` pages (SQLite's max_page_count; it never goes below the current size) and
   * returns the cap in effect. Writes that would grow past it fail as on a full disk.
   */
  setMaxPageCount(pages: number): number {
    this.assertOpen()
    return this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(pages))}`, {simple: true}) as number
  }

  private submit(op: WriteOp): Promise<StoreEvent> {
    if (this.closed || this.closing) return Promise.reject(closedError(this.path))
    if (this.broken) return Promise.reject(this.broken)
    return this.batcher.submit(op)
  }

  /** Waits out a batch committed but not yet durable, so a read shows only what survives a crash. */
  private async durableState(): Promise<void> {
    this.assertOpen()
    const inFlight = this.batcher.inFlight()
    if (inFlight) await inFlight
    this.assertOpen()
  }

  /**
   * After a commit: fsync the WAL (blocking when `sync`), then publish the batch: the durable
   * revision moves and watchers get its events. A failed sync breaks the store (STORE_UNAVAILABLE
   * from then on): SQLite has the batch, but its writers are told it failed.
   */
  private settle(outcomes: Array<StoreEvent | Error>, sync: boolean): Promise<void> | void {
    const revision = this.currentRevision
    const publish = () => {
      this.durableRevision = revision
      for (const outcome of outcomes) {
        if (outcome instanceof Error) continue
        for (const watcher of this.watchers) watcher.push(outcome)
      }
    }
    const failed = (cause: unknown) => {
      this.broken = new StoreUnavailableError(`sync ${this.path}-wal: ${(cause as Error).message}; restart the control plane`, {cause})
      log.error({path: this.path, err: cause}, 'WAL sync failed')
      throw this.broken
    }
    // Nothing was written (every op failed its check): nothing to make durable.
    if (revision === this.durableRevision) return
    if (sync) {
      try {
        this.wal.syncNow()
      } catch (cause) {
        failed(cause)
      }
      publish()
      return
    }
    return this.wal.sync().then(publish, failed)
  }

  private commit(ops: WriteOp[]): WriteOutcome[] {
    let result: {revision: number; outcomes: WriteOutcome[]}
    try {
      result = this.transaction(ops, this.currentRevision)
    } catch (cause) {
      // The transaction rolled back and currentRevision was never advanced: nothing of it happened.
      log.warn({path: this.path, ops: ops.length, err: cause}, 'write batch failed')
      throw this.writeFailure(`write ${ops.length} change(s) to ${this.path}`, cause)
    }
    this.currentRevision = result.revision
    this.transactions += 1
    return result.outcomes
  }

  private readHistory(prefix: string, after: number, upTo: number, limit: number): StoreEvent[] {
    const end = prefixEnd(prefix)
    const rows = this.read(() =>
      end === undefined ? this.statements.historyFrom.all(after, upTo, prefix, limit) : this.statements.historyRange.all(after, upTo, prefix, end, limit),
    )
    return rows.map((row) => eventFromLogRow(this.intactHistory(row)))
  }

  /** Names what a failed write met: a full disk and a damaged file each get their own error, anything else is STORE_UNAVAILABLE. */
  private writeFailure(what: string, cause: unknown): StoreError {
    const message = (cause as Error).message
    if (isDiskFull(cause)) return new StoreFullError(this.path, `${what}: no space left on its disk (${message})`, {cause})
    if (isCorruption(cause)) {
      this.damaged = true
      return new StoreCorruptError(this.path, `${what}: ${message}`, {cause})
    }
    return new StoreUnavailableError(`${what}: ${message}`, {cause})
  }

  /** Runs a query; SQLite finding a broken page on the way becomes STORE_CORRUPT like a failed checksum. */
  private read<T>(query: () => T): T {
    try {
      return query()
    } catch (cause) {
      if (!isCorruption(cause)) throw cause
      throw this.corruptRow((cause as Error).message, cause)
    }
  }

  private intact(row: KvRow): KvRow {
    if (kvRowIntact(row)) return row
    throw this.corruptRow(`object ${String(row.key)} at revision ${row.mod_rev} fails its checksum`)
  }

  private intactHistory(row: HistoryRow): HistoryRow {
    const damage = historyRowDamage(row)
    if (damage) throw this.corruptRow(damage)
    return row
  }

  private corruptRow(detail: string, cause?: unknown): StoreCorruptError {
    this.damaged = true
    const error = new StoreCorruptError(this.path, detail, {cause})
    log.error({path: this.path, err: error}, 'store damaged')
    return error
  }

  private assertOpen(): void {
    if (this.closed) throw closedError(this.path)
    if (this.broken) throw this.broken
  }
}

function closedError(path: string): StoreError {
  return new StoreError(`store ${path} is closed`, 'STORE_CLOSED')
}
