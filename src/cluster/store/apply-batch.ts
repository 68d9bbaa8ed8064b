// Applies one tick's writes inside a single transaction. Each op is checked against the state left by
// the ops before it; a failed check yields that op's error and consumes no revision.
import {kvSum, logSum} from './row-checksum.js'
import {eventFromLogRow, type KvRow, type LogRow, type Statements} from './sqlite-statements.js'
import {KeyExistsError, KeyNotFoundError, RevisionConflictError, type StoreError, type StoreEvent} from './store.js'

export type WriteOp =
  | {kind: 'create'; key: string; value: string}
  | {kind: 'update'; key: string; value: string; expectedRevision: number}
  | {kind: 'delete'; key: string; expectedRevision?: number}

export type WriteOutcome = StoreEvent | StoreError

export interface BatchResult {
  /** The last revision used (equal to the starting revision when every op failed). */
  revision: number
  outcomes: WriteOutcome[]
}

function logRowFor(op: WriteOp, revision: number, current: KvRow | undefined): LogRow {
  if (op.kind === 'create') {
    return {rev: revision, key: op.key, type: 'PUT', value: op.value, prev_value: null, create_rev: revision, prev_mod_rev: null}
  }
  const previous = current!
  return {
    rev: revision,
    key: op.key,
    type: op.kind === 'update' ? 'PUT' : 'DELETE',
    value: op.kind === 'update' ? op.value : null,
    prev_value: previous.value,
    create_rev: previous.create_rev,
    prev_mod_rev: previous.mod_rev,
  }
}

function check(op: WriteOp, current: KvRow | undefined): StoreError | undefined {
  if (op.kind === 'create') return current ? new KeyExistsError(op.key) : undefined
  if (!current) return new KeyNotFoundError(op.key)
  if (op.expectedRevision !== undefined && op.expectedRevision !== current.mod_rev) {
    return new RevisionConflictError(op.key, op.expectedRevision, current.mod_rev)
  }
  return undefined
}

/** Must run inside a transaction; returns per-op outcomes in submission order. */
export function applyBatch(statements: Statements, ops: readonly WriteOp[], startRevision: number): BatchResult {
  let revision = startRevision
  const outcomes = ops.map((op): WriteOutcome => {
    const current = statements.getKv.get(op.key)
    const failure = check(op, current)
    if (failure) return failure
    revision += 1
    const row = logRowFor(op, revision, current)
    if (op.kind === 'create') statements.insertKv.run(op.key, revision, revision, op.value, kvSum(op.key, revision, revision, op.value))
    else if (op.kind === 'update') statements.updateKv.run(revision, op.value, kvSum(op.key, row.create_rev, revision, op.value), op.key)
    else statements.deleteKv.run(op.key)
    // An update's previous value is already the value of the log row at prev_mod_rev, so it is not
    // stored twice (replay joins it back); live events still carry it from memory.
    const stored = op.kind === 'update' ? {...row, prev_value: null} : row
    statements.insertLog.run({...stored, sum: logSum(stored)})
    return eventFromLogRow(row)
  })
  if (revision !== startRevision) statements.setMeta.run(revision, 'revision')
  return {revision, outcomes}
}
