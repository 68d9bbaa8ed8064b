// A CRC-32 over every stored row. SQLite's own checks (quick_check, integrity_check) validate the
// b-tree structure, not the bytes of a value: a damaged byte inside a JSON value or a key passes
// them and would be served as a different object. Every read checks the row's sum, so such damage
// fails the request (STORE_CORRUPT) instead of answering with wrong data; an unclean open scans all.
import {crc32} from 'node:zlib'
import type {SqliteDatabase} from './sqlite-schema.js'
import type {HistoryRow} from './sqlite-statements.js'

/** The stored columns of a kv row (sum null only if the row itself was damaged). */
export interface SummedKv {
  key: string
  create_rev: number
  mod_rev: number
  value: string
  sum: number | null
}

/** The stored columns of a log row: prev_value as on disk (NULL for updates). */
export interface SummedLog {
  rev: number
  key: string
  type: string
  value: string | null
  prev_value: string | null
  create_rev: number
  prev_mod_rev: number | null
  sum: number | null
}

// Fields are separated by NUL (keys and JSON values hold none) and hashed incrementally, so a large
// value is not copied into one concatenated string first.
export function kvSum(key: string, createRev: number, modRev: number, value: string): number {
  return crc32(value, crc32(`${key}\0${createRev}\0${modRev}\0`))
}

export function logSum(row: Omit<SummedLog, 'sum'>): number {
  const head = crc32(`${row.rev}\0${row.key}\0${row.type}\0${row.create_rev}\0${row.prev_mod_rev ?? ''}\0`)
  return crc32(row.prev_value ?? '\u0001', crc32(row.value ?? '\u0001', head))
}

// A damaged record header can turn a TEXT column into a number or a blob: that is damage too.
const text = (value: unknown): boolean => typeof value === 'string'
const textOrNull = (value: unknown): boolean => value === null || typeof value === 'string'

export function kvRowIntact(row: SummedKv): boolean {
  if (!text(row.key) || !text(row.value)) return false
  return row.sum === kvSum(row.key, row.create_rev, row.mod_rev, row.value)
}

export function logRowIntact(row: SummedLog): boolean {
  if (!text(row.key) || !text(row.type) || !textOrNull(row.value) || !textOrNull(row.prev_value)) return false
  return row.sum === logSum(row)
}

/** What is wrong with a history row (its own log row, or the one its previous value was joined from), if anything. */
export function historyRowDamage(row: HistoryRow): string | undefined {
  if (!logRowIntact({...row, prev_value: row.stored_prev_value})) return `history entry ${row.rev} (${String(row.key)}) fails its checksum`
  if (row.p_rev === null) return undefined // the previous row was compacted away
  const previous = {rev: row.p_rev, key: row.p_key!, type: row.p_type!, value: row.p_value, prev_value: row.p_prev_value, create_rev: row.p_create_rev!, prev_mod_rev: row.p_prev_mod_rev, sum: row.p_sum}
  return logRowIntact(previous) ? undefined : `history entry ${row.p_rev} (${String(row.p_key)}) fails its checksum`
}

/** Adds the sum column to a store written before it existed and fills it (once; the rows are taken as they are). */
export function migrateChecksums(db: SqliteDatabase): void {
  const has = (table: string) => (db.pragma(`table_info(${table})`) as Array<{name: string}>).some((column) => column.name === 'sum')
  if (has('kv') && has('log')) return
  db.function('kcluster_kv_sum', {deterministic: true}, (key, createRev, modRev, value) =>
    kvSum(String(key), Number(createRev), Number(modRev), String(value)),
  )
  db.function('kcluster_log_sum', {deterministic: true, varargs: true}, (...args: unknown[]) => {
    const [rev, key, type, value, prevValue, createRev, prevModRev] = args
    return logSum({
      rev: Number(rev),
      key: String(key),
      type: String(type),
      value: value === null ? null : String(value),
      prev_value: prevValue === null ? null : String(prevValue),
      create_rev: Number(createRev),
      prev_mod_rev: prevModRev === null ? null : Number(prevModRev),
    })
  })
  db.transaction(() => {
    if (!has('kv')) {
      db.exec('ALTER TABLE kv ADD COLUMN sum INTEGER')
      db.exec('UPDATE kv SET sum = kcluster_kv_sum(key, create_rev, mod_rev, value)')
    }
    if (!has('log')) {
      db.exec('ALTER TABLE log ADD COLUMN sum INTEGER')
      db.exec('UPDATE log SET sum = kcluster_log_sum(rev, key, type, value, prev_value, create_rev, prev_mod_rev)')
    }
  })()
}

/** Reads every row and returns a description of the first whose sum does not match, or undefined. */
export function findDamagedRow(db: SqliteDatabase): string | undefined {
  for (const row of db.prepare('SELECT key, create_rev, mod_rev, value, sum FROM kv').iterate() as Iterable<SummedKv>) {
    if (!kvRowIntact(row)) return `object ${row.key} at revision ${row.mod_rev} fails its checksum`
  }
  const logRows = db.prepare('SELECT rev, key, type, value, prev_value, create_rev, prev_mod_rev, sum FROM log').iterate()
  for (const row of logRows as Iterable<SummedLog>) {
    if (!logRowIntact(row)) return `history entry ${row.rev} (${row.key}) fails its checksum`
  }
  return undefined
}
