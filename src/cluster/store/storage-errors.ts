// The two store failures a user has to act on: a damaged file (refuse to serve it) and a full disk
// (refuse the write, keep serving reads). Both say what happened, why and what to do, because they
// reach people through `kcluster start` (the control-plane log tail) and through kubectl's Status.
import {StoreError, StoreUnavailableError} from './store.js'

/** SQLite result codes that mean the file's content, not the process, is broken. */
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB'])

/** SQLite result codes of a write that found no room: ENOSPC, or the max_page_count cap. */
const FULL_CODES = new Set(['SQLITE_FULL'])

function sqliteCode(error: unknown): string | undefined {
  const code = (error as {code?: unknown} | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

export function isCorruption(error: unknown): boolean {
  const code = sqliteCode(error)
  return code !== undefined && CORRUPTION_CODES.has(code)
}

export function isDiskFull(error: unknown): boolean {
  const code = sqliteCode(error)
  return code !== undefined && FULL_CODES.has(code)
}

/**
 * The store file does not hold what was written: a truncated or overwritten page, or a row whose
 * checksum does not match. Thrown at open (the cluster refuses to start) or by a read that meets a
 * damaged row (the request fails; nothing wrong is served).
 */
export class StoreCorruptError extends StoreError {
  override name = 'StoreCorruptError'
  constructor(
    readonly path: string,
    readonly detail: string,
    options?: {cause?: unknown},
  ) {
    super(
      `store ${path} is damaged (${detail}); restore it from a backup or delete it to start an empty cluster`,
      'STORE_CORRUPT',
      options,
    )
  }

  /** Read by the control-plane entry point and the CLI's failure formatter. */
  get why(): string {
    return 'the file no longer holds what kcluster wrote (cut short or overwritten: a failing disk, an interrupted copy, another program); serving it could hand out wrong objects'
  }

  get fix(): string {
    return `restore ${this.path} from a backup, or move it aside and start again for an empty cluster (the damaged copy stays for inspection: sqlite3 ${this.path} 'PRAGMA integrity_check')`
  }
}

/** A write found the disk full. Nothing of it was applied; reads still work; writes resume once space is freed. */
export class StoreFullError extends StoreUnavailableError {
  override name = 'StoreFullError'
  override readonly code = 'STORE_FULL'
  constructor(
    readonly path: string,
    message: string,
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}
