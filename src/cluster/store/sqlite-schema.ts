// Opens the store's SQLite file: durability pragmas, a damage check before anything is served, and
// the kine-shaped schema (current state in `kv`, every change in `log`, counters in `meta`; every
// kv and log row carries a CRC-32 `sum`, see row-checksum.ts).
import {existsSync, statSync} from 'node:fs'
import Database from 'better-sqlite3'
import {logger} from '../log.js'
import {consumeCleanMarker} from './clean-shutdown.js'
import {findDamagedRow, migrateChecksums} from './row-checksum.js'
import {isCorruption, StoreCorruptError} from './storage-errors.js'
import {StoreError} from './store.js'

export type SqliteDatabase = Database.Database

const log = logger('store')

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL,
  value TEXT NOT NULL,
  sum INTEGER
);
CREATE TABLE IF NOT EXISTS log (
  rev INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('PUT', 'DELETE')),
  value TEXT,
  prev_value TEXT,
  create_rev INTEGER NOT NULL,
  prev_mod_rev INTEGER,
  sum INTEGER
);
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0), ('compact_revision', 0);
`

export interface StoreCounters {
  revision: number
  compactRevision: number
}

export interface OpenedDatabase {
  db: SqliteDatabase
  counters: StoreCounters
  /** Whether the open ran the full damage scan (false: the clean-close marker matched). */
  scanned: boolean
}

// WAL + synchronous=NORMAL: a commit writes its frames to the WAL without fsyncing them, and the
// store fsyncs the WAL on the thread pool before it acknowledges the commit (wal-sync.ts), so an
// acknowledged write survives kill -9 and power loss while the event loop never waits for the disk.
// NORMAL still syncs around checkpoints (the WAL before, the database after, the WAL header on
// reuse). A torn or damaged WAL tail is cut off by SQLite's own frame checksums: recovery stops at
// the last intact commit, which is the "last good commit" the store then serves.
function configure(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = OFF')
}

/**
 * The full scan (checkPages, then checkRows), for opens after an unclean close or of a file changed
 * behind our back: quick_check walks every b-tree page (torn, truncated or overwritten pages), the
 * row sums catch damaged bytes inside values that quick_check cannot see.
 */
function checkPages(db: SqliteDatabase, path: string): void {
  const problems = (db.pragma('quick_check(3)') as Array<{quick_check: string}>).map((row) => row.quick_check)
  // One line for the log tail `kcluster start` shows: SQLite's report is multi-line with a banner.
  const report = problems.join('\n').replace(/\*\*\* in database \w+ \*\*\*/g, '').split('\n').map((line) => line.trim()).filter(Boolean)
  if (problems.length !== 1 || problems[0] !== 'ok') throw new StoreCorruptError(path, report.join('; '))
}

function checkRows(db: SqliteDatabase, path: string): void {
  const damaged = findDamagedRow(db)
  if (damaged) throw new StoreCorruptError(path, damaged)
}

/** After a clean close the file must be exactly its header's page count long: a cheap guard against truncation. */
function checkLength(db: SqliteDatabase, path: string): void {
  const pages = db.pragma('page_count', {simple: true}) as number
  const pageSize = db.pragma('page_size', {simple: true}) as number
  const size = statSync(path).size
  if (pages * pageSize !== size) throw new StoreCorruptError(path, `file is ${size} bytes, its header says ${pages} pages of ${pageSize}`)
}

/** Reads the counters and cross-checks them against the log so a torn state is refused, not served. */
function readCounters(db: SqliteDatabase, path: string): StoreCounters {
  const rows = db.prepare('SELECT name, value FROM meta').all() as Array<{name: string; value: number}>
  const meta = new Map(rows.map((row) => [row.name, row.value]))
  const revision = meta.get('revision') ?? 0
  const compactRevision = meta.get('compact_revision') ?? 0
  const {maxRev} = db.prepare('SELECT max(rev) AS maxRev FROM log').get() as {maxRev: number | null}
  if ((maxRev ?? 0) > revision || compactRevision > revision) {
    throw new StoreCorruptError(path, `revision ${revision} is behind log revision ${maxRev} or compact revision ${compactRevision}`)
  }
  return {revision, compactRevision}
}

/** Opens (creating if needed) and validates the database; fails with StoreCorruptError (STORE_CORRUPT) on damage. */
export function openDatabase(path: string): OpenedDatabase {
  const inMemory = path === ':memory:'
  const existed = !inMemory && existsSync(path)
  // Consumed before SQLite touches the file: a crash from here on leaves no marker behind.
  const clean = !inMemory && consumeCleanMarker(path)
  let db: SqliteDatabase | undefined
  try {
    db = new Database(path, {timeout: 5000})
    configure(db)
    const scanned = existed && !clean
    if (scanned) checkPages(db, path)
    else if (clean) checkLength(db, path)
    db.exec(SCHEMA)
    // After the page check (a migration must not bless damaged rows with fresh sums), before the row check.
    migrateChecksums(db)
    if (scanned) checkRows(db, path)
    const counters = readCounters(db, path)
    return {db, counters, scanned}
  } catch (error) {
    db?.close()
    if (error instanceof StoreCorruptError) {
      log.error({path, err: error}, 'store damaged')
      throw error
    }
    if (isCorruption(error)) {
      log.error({path, code: (error as {code?: unknown}).code}, 'store damaged')
      throw new StoreCorruptError(path, (error as Error).message, {cause: error})
    }
    throw new StoreError(`open store ${path}: ${(error as Error).message}`, 'STORE_OPEN_FAILED', {cause: error})
  }
}
