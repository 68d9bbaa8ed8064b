// Field-manager conflicts of server-side apply and the 409 the real server answers with
// (managedfields/internal/conflict.go): `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply"
// using apps/v1: .spec.replicas`, one StatusCause per conflicting field.
import {ApiError} from '../../api/errors.js'
import {pathToString, type FieldPath} from './field-path.js'
import type {FieldSet} from './field-set.js'
import type {ManagerRecord} from './managed-fields.js'

export interface Conflict {
  /** The manager identifier (managerIdentifier); conflicts are grouped and sorted by it. */
  readonly id: string
  readonly record: ManagerRecord
  readonly path: FieldPath
}

/** Thrown inside the apply pipeline; turned into an ApiError once the last-applied rules had their say. */
export class ApplyConflicts extends Error {
  override name = 'ApplyConflicts'
  readonly code = 'ApplyConflicts'
  constructor(readonly conflicts: readonly Conflict[]) {
    super(conflictMessage(conflicts))
  }
}

/** The conflicts of several managers, managers in identifier order, paths in field-set order. */
export function conflictsOf(byManager: Map<string, {record: ManagerRecord; set: FieldSet}>): Conflict[] {
  const ids = [...byManager.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return ids.flatMap((id) => {
    const {record, set} = byManager.get(id)!
    return set.paths().map((path) => ({id, record, path}))
  })
}

function printManager(r: ManagerRecord): string {
  let out = JSON.stringify(r.manager)
  if (r.subresource) out += ` with subresource ${JSON.stringify(r.subresource)}`
  if (r.operation === 'Update') out += ` using ${r.apiVersion}`
  return out
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts
    return `Apply failed with 1 conflict: conflict with ${printManager(c.record)}: ${pathToString(c.path)}`
  }
  const lines: string[] = []
  let current: string | undefined
  for (const c of conflicts) {
    if (c.id !== current) {
      current = c.id
      lines.push(`conflicts with ${printManager(c.record)}:`)
    }
    lines.push(`- ${pathToString(c.path)}`)
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
}

/** The 409 Conflict Status of an apply; details carry only the causes, like errors.NewApplyConflict. */
export function applyConflictError(conflicts: readonly Conflict[]): ApiError {
  return new ApiError(409, 'Conflict', conflictMessage(conflicts), {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.record)}`,
      field: pathToString(c.path),
    })),
  })
}
