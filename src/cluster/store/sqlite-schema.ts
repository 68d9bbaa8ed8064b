// Opens the store's SQLite file: durability pragmas, a damage check before anything is served, and
// the kine-shaped schema (current state in `kv`, every change in `log`, counters in `meta`).
import Database from 'better-sqlite3'
import {logger} from '../log.js'
import {StoreError} from './store.js'

export type SqliteDatabase = Database.Database

const log = logger('store')

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS log (
  rev INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('PUT', 'DELETE')),
  value TEXT,
  prev_value TEXT,
  create_rev INTEGER NOT NULL,
  prev_mod_rev INTEGER
);
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0), ('compact_revision', 0);
`

/** SQLite result codes that mean the file's content, not the process, is broken. */
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE'])

export interface StoreCounters {
  revision: number
  compactRevision: number
}

function corrupt(path: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    `store ${path} is damaged (${detail}); restore it from a backup or delete it to start an empty cluster`,
    'STORE_CORRUPT',
    {cause},
  )
}

// WAL + synchronous=FULL: a commit is fsynced to the WAL before the transaction returns, so an
// acknowledged write survives kill -9 and power loss, and a commit costs one fsync.
function configure(db: SqliteDatabase, path: string): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = OFF')
  // quick_check walks every b-tree page: it finds torn or overwritten pages, not silently wrong values.
  const problems = (db.pragma('quick_check(5)') as Array<{quick_check: string}>).map((row) => row.quick_check)
  if (problems.length !== 1 || problems[0] !== 'ok') throw corrupt(path, problems.join('; '))
  db.exec(SCHEMA)
}

/** Reads the counters and cross-checks them against the log so a torn state is refused, not served. */
function readCounters(db: SqliteDatabase, path: string): StoreCounters {
  const rows = db.prepare('SELECT name, value FROM meta').all() as Array<{name: string; value: number}>
  const meta = new Map(rows.map((row) => [row.name, row.value]))
  const revision = meta.get('revision') ?? 0
  const compactRevision = meta.get('compact_revision') ?? 0
  const {maxRev} = db.prepare('SELECT max(rev) AS maxRev FROM log').get() as {maxRev: number | null}
  if ((maxRev ?? 0) > revision || compactRevision > revision) {
    throw corrupt(path, `revision ${revision} is behind log revision ${maxRev} or compact revision ${compactRevision}`)
  }
  return {revision, compactRevision}
}

/** Opens (creating if needed) and validates the database; fails with STORE_CORRUPT on damage. */
export function openDatabase(path: string): {db: SqliteDatabase; counters: StoreCounters} {
  let db: SqliteDatabase | undefined
  try {
    db = new Database(path, {timeout: 5000})
    configure(db, path)
    const counters = readCounters(db, path)
    return {db, counters}
  } catch (error) {
    db?.close()
    if (error instanceof StoreError) {
      log.error({path, err: error}, 'store damaged')
      throw error
    }
    const code = (error as {code?: unknown}).code
    if (typeof code === 'string' && CORRUPTION_CODES.has(code)) {
      log.error({path, code}, 'store damaged')
      throw corrupt(path, (error as Error).message, error)
    }
    throw new StoreError(`open store ${path}: ${(error as Error).message}`, 'STORE_OPEN_FAILED', {cause: error})
  }
}
