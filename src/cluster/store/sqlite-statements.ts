// Prepared statements over the kv/log/meta schema, and the one mapping from a log row to a StoreEvent
// (used both for live fan-out and history replay so the two can never disagree).
import type {SqliteDatabase} from './sqlite-schema.js'
import type {KeyValue, StoreEvent, WatchEventType} from './store.js'

export interface KvRow {
  key: string
  create_rev: number
  mod_rev: number
  value: string
  /** CRC-32 of the row (row-checksum.ts); checked on every read. */
  sum: number | null
}

/**
 * One change. PUT: value is the new value, prev_* describe the replaced value (NULL on create; on disk
 * prev_value is NULL for updates too and is read back from the log row at prev_mod_rev).
 * DELETE: value is NULL, prev_value/prev_mod_rev are the deleted value and its last write revision.
 */
export interface LogRow {
  rev: number
  key: string
  type: WatchEventType
  value: string | null
  prev_value: string | null
  create_rev: number
  prev_mod_rev: number | null
}

/** A history row as read: the log row's own stored columns and sum, and those of the row its previous value came from. */
export interface HistoryRow extends LogRow {
  stored_prev_value: string | null
  sum: number | null
  p_rev: number | null
  p_key: string | null
  p_type: string | null
  p_value: string | null
  p_prev_value: string | null
  p_create_rev: number | null
  p_prev_mod_rev: number | null
  p_sum: number | null
}

export function kvFromRow(row: KvRow): KeyValue {
  return {key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.mod_rev}
}

/**
 * DELETE events carry kv = the deleted value with modRevision = the deletion revision (the API layer
 * reports the deleted object at that resourceVersion) and prevKv = the same value at its last write revision.
 */
export function eventFromLogRow(row: LogRow): StoreEvent {
  // A replayed update whose previous row was compacted away has no previous value: prevKv is then absent
  // although the event is not a creation.
  const prevKv: KeyValue | undefined =
    row.prev_mod_rev === null || row.prev_value === null
      ? undefined
      : {key: row.key, value: row.prev_value, createRevision: row.create_rev, modRevision: row.prev_mod_rev}
  const value = row.type === 'DELETE' ? (row.prev_value ?? '') : (row.value ?? '')
  const kv: KeyValue = {key: row.key, value, createRevision: row.create_rev, modRevision: row.rev}
  const event: StoreEvent = {type: row.type, revision: row.rev, key: row.key, kv, created: row.type === 'PUT' && row.prev_mod_rev === null}
  if (prevKv) event.prevKv = prevKv
  return event
}

/**
 * The exclusive upper bound of the key range that starts with `prefix`: the prefix with its last code
 * point incremented (SQLite's BINARY collation is UTF-8 byte order, which is code point order).
 * Undefined when there is no bound (empty prefix).
 */
export function prefixEnd(prefix: string): string | undefined {
  const codePoints = Array.from(prefix)
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1
      return codePoints.join('') + String.fromCodePoint(next)
    }
  }
  return undefined
}

const LOG_COLUMNS = 'rev, key, type, value, prev_value, create_rev, prev_mod_rev, sum'
// History rows with the previous value of updates joined back from the log row it was written at.
// The stored columns and sums of both rows come along so the reader can check them (row-checksum.ts).
const HISTORY_COLUMNS =
  "l.rev AS rev, l.key AS key, l.type AS type, l.value AS value, CASE WHEN l.type = 'DELETE' THEN l.prev_value ELSE p.value END AS prev_value, l.create_rev AS create_rev, l.prev_mod_rev AS prev_mod_rev, " +
  'l.prev_value AS stored_prev_value, l.sum AS sum, p.rev AS p_rev, p.key AS p_key, p.type AS p_type, p.value AS p_value, ' +
  'p.prev_value AS p_prev_value, p.create_rev AS p_create_rev, p.prev_mod_rev AS p_prev_mod_rev, p.sum AS p_sum'
const HISTORY_FROM = 'log l LEFT JOIN log p ON p.rev = l.prev_mod_rev'

export function prepareStatements(db: SqliteDatabase) {
  return {
    getKv: db.prepare<[string], KvRow>('SELECT key, create_rev, mod_rev, value, sum FROM kv WHERE key = ?'),
    listRange: db.prepare<[string, string], KvRow>(
      'SELECT key, create_rev, mod_rev, value, sum FROM kv WHERE key >= ? AND key < ? ORDER BY key',
    ),
    listFrom: db.prepare<[string], KvRow>('SELECT key, create_rev, mod_rev, value, sum FROM kv WHERE key >= ? ORDER BY key'),
    insertKv: db.prepare<[string, number, number, string, number]>(
      'INSERT INTO kv (key, create_rev, mod_rev, value, sum) VALUES (?, ?, ?, ?, ?)',
    ),
    updateKv: db.prepare<[number, string, number, string]>('UPDATE kv SET mod_rev = ?, value = ?, sum = ? WHERE key = ?'),
    deleteKv: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    insertLog: db.prepare<[LogRow & {sum: number}]>(
      `INSERT INTO log (${LOG_COLUMNS}) VALUES (@rev, @key, @type, @value, @prev_value, @create_rev, @prev_mod_rev, @sum)`,
    ),
    /** History page: (after, upTo, from, end, limit). */
    historyRange: db.prepare<[number, number, string, string, number], HistoryRow>(
      `SELECT ${HISTORY_COLUMNS} FROM ${HISTORY_FROM} WHERE l.rev > ? AND l.rev <= ? AND l.key >= ? AND l.key < ? ORDER BY l.rev LIMIT ?`,
    ),
    historyFrom: db.prepare<[number, number, string, number], HistoryRow>(
      `SELECT ${HISTORY_COLUMNS} FROM ${HISTORY_FROM} WHERE l.rev > ? AND l.rev <= ? AND l.key >= ? ORDER BY l.rev LIMIT ?`,
    ),
    deleteLogUpTo: db.prepare<[number]>('DELETE FROM log WHERE rev <= ?'),
    setMeta: db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE name = ?'),
  }
}

export type Statements = ReturnType<typeof prepareStatements>
