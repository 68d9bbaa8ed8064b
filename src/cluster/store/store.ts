// The whole storage contract, in kine's shape: one global revision counter (it becomes every
// object's metadata.resourceVersion), compare-and-swap writes, and watch from any retained revision.
// Values are opaque JSON text to the store; the API layer sets resourceVersion from modRevision on read.

export interface KeyValue {
  key: string
  value: string
  /** Revision at which this key was created (kept across updates). */
  createRevision: number
  /** Revision of the last write to this key; this is the object's resourceVersion. */
  modRevision: number
}

export type WatchEventType = 'PUT' | 'DELETE'

export interface StoreEvent {
  type: WatchEventType
  /** Revision of this event (for DELETE: the revision of the deletion). */
  revision: number
  key: string
  /** For PUT the new value; for DELETE the last value before deletion. */
  kv: KeyValue
  /** The value before this event, when there was one (PUT on existing key, DELETE). */
  prevKv?: KeyValue
  /** True when this PUT created the key. */
  created: boolean
}

export interface ListResult {
  /** The store revision the listing reflects (a watch from here misses nothing). */
  revision: number
  items: KeyValue[]
}

export interface Watch {
  /** Events in revision order: first the history after fromRevision, then live events. */
  events: AsyncIterable<StoreEvent>
  /** Stop the watch; the iterator finishes. */
  close(): void
}

export interface Store {
  get(key: string): Promise<KeyValue | undefined>
  /** Every key with this prefix, in key order, at one consistent revision. */
  list(prefix: string): Promise<ListResult>
  /** Fails with KeyExistsError if the key exists. Resolves only once the write is durable. */
  create(key: string, value: string): Promise<KeyValue>
  /** Compare-and-swap: fails with RevisionConflictError unless modRevision equals expectedRevision, KeyNotFoundError if absent. */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>
  /** Deletes the key (optionally only at expectedRevision); resolves with the deleted value and the deletion revision. */
  delete(key: string, expectedRevision?: number): Promise<{deleted: KeyValue; revision: number}>
  /** Events for keys under prefix with revision > fromRevision; fails with CompactedError when that history is gone. */
  watch(prefix: string, fromRevision: number): Watch
  /** The current (last committed) revision. */
  revision(): number
  /** The oldest revision a watch may start after. */
  compactRevision(): number
  /** Drop history at or below `upTo`. */
  compact(upTo: number): Promise<void>
  /** Finish pending writes and close the file. */
  close(): Promise<void>
}

export class StoreError extends Error {
  override name = 'StoreError'
  constructor(
    message: string,
    readonly code: string,
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

export class KeyExistsError extends StoreError {
  override name = 'KeyExistsError'
  constructor(readonly key: string) {
    super(`create ${key}: key exists`, 'KEY_EXISTS')
  }
}

export class KeyNotFoundError extends StoreError {
  override name = 'KeyNotFoundError'
  constructor(readonly key: string) {
    super(`${key}: key not found`, 'KEY_NOT_FOUND')
  }
}

export class RevisionConflictError extends StoreError {
  override name = 'RevisionConflictError'
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`update ${key}: expected revision ${expected}, found ${actual}`, 'REVISION_CONFLICT')
  }
}

export class CompactedError extends StoreError {
  override name = 'CompactedError'
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`too old resource version: ${requested} (${compacted})`, 'COMPACTED')
  }
}

/** A write failed to reach disk (disk full, I/O error): nothing of it was applied. */
export class StoreUnavailableError extends StoreError {
  override name = 'StoreUnavailableError'
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, 'STORE_UNAVAILABLE', options)
  }
}
