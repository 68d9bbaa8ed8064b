// Server-side apply (PATCH with application/apply-patch+yaml), following structured-merge-diff's
// Updater.Apply and the API server's field manager chain: merge the configuration into the live object, give
// the applier exactly the fields it applied, prune what it applied before and dropped (unless someone else
// owns it), and refuse to change another manager's field unless forced.
import {ApiError, badRequest, internalError} from '../../api/errors.js'
import type {KubeObject} from '../../api/types.js'
import {logger} from '../../log.js'
import {applyConflictError, ApplyConflicts, conflictsOf, type Conflict} from './apply-conflicts.js'
import {FieldPathError} from './field-path.js'
import {FieldSet} from './field-set.js'
import {fieldSetOf} from './field-set-of.js'
import {allowedConflictsFromLastApplied, KUBECTL_APPLY_MANAGER, syncLastApplied} from './last-applied.js'
import {listKeysFor, type ListKeys} from './list-keys.js'
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  resetFieldsFor,
  rfc3339,
  STRIPPED_FIELDS,
  type Managed,
  type ManagedFieldsEntry,
  type ManagerRecord,
} from './managed-fields.js'
import {compareObjects, excludeFields, jsonEqual, withSkeleton} from './object-compare.js'
import {mergeObjects, removeItems} from './object-merge.js'

export interface ServerSideApplyArgs {
  /** The stored object, or undefined when the apply creates it. */
  live: KubeObject | undefined
  /** The applied configuration (the request body). */
  applied: KubeObject
  manager: string
  force: boolean
  /** The group/version served at this endpoint, e.g. `apps/v1`. */
  apiVersion: string
  now: Date
  keys?: ListKeys
  /** Set when applying to a subresource (`status`); the entry records it and the reset fields change. */
  subresource?: string
  /** The kind served at this endpoint; defaults to the live object's. */
  kind?: string
  /** Fields the strategy resets for this endpoint; defaults to resetFieldsFor(subresource). */
  resetFields?: FieldSet
}

const log = logger('server-side-apply')

function gvkString(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? ''
  const gv = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`
  return `${gv}, Kind=${obj.kind ?? ''}`
}

function withoutManagedFields(obj: KubeObject | undefined): Record<string, unknown> {
  if (!obj) return {}
  const {managedFields: _ignored, ...metadata} = obj.metadata ?? {}
  return {...obj, metadata}
}

function unionOf(managed: Managed): FieldSet {
  let all = new FieldSet()
  for (const r of managed.values()) all = all.union(r.set)
  return all
}

// Updater.prune: drop what the applier applied last time but not now, unless some manager still owns it.
function prune(merged: Record<string, unknown>, managed: Managed, lastSet: FieldSet | undefined, keys: ListKeys): Record<string, unknown> {
  if (!lastSet || lastSet.isEmpty()) return merged
  const last = lastSet.ensureNamedFieldsAreMembers()
  const mergedSet = fieldSetOf(merged, keys).ensureNamedFieldsAreMembers()
  const firstCut = removeItems(merged, last, keys)
  const owned = fieldSetOf(firstCut, keys).ensureNamedFieldsAreMembers().union(unionOf(managed).ensureNamedFieldsAreMembers())
  const secondCut = removeItems(merged, mergedSet.difference(owned), keys)
  const kept = fieldSetOf(secondCut, keys).ensureNamedFieldsAreMembers()
  return removeItems(merged, mergedSet.difference(kept).intersection(last), keys)
}

interface ApplyResult {
  merged: Record<string, unknown>
  managed: Managed
}

function applyOnce(
  live: Record<string, unknown>,
  config: Record<string, unknown>,
  configSet: FieldSet,
  managedIn: Managed,
  applier: ManagerRecord,
  force: boolean,
  keys: ListKeys,
  ignored: FieldSet,
): ApplyResult {
  const id = managerIdentifier(applier)
  const managed: Managed = new Map(managedIn)
  const lastSet = managed.get(id)?.set
  managed.set(id, {...applier, set: configSet, original: managedIn.get(id)?.original})
  const merged = prune(mergeObjects(live, config, keys), managed, lastSet, keys)

  // Updater.update: every other manager owning a field this apply changes is a conflict.
  const skeleton = keys.skeleton?.()
  const diff = excludeFields(compareObjects(withSkeleton(live, skeleton), withSkeleton(merged, skeleton), keys), ignored)
  const changed = diff.modified.union(diff.added)
  const conflicting = new Map<string, {record: ManagerRecord; set: FieldSet}>()
  for (const [otherId, r] of managed) {
    if (otherId === id) continue
    const set = r.set.intersection(changed)
    if (!set.isEmpty()) conflicting.set(otherId, {record: r, set})
  }
  if (!force && conflicting.size > 0) throw new ApplyConflicts(conflictsOf(conflicting))
  for (const [otherId, r] of managed) {
    if (otherId === id) continue
    const set = r.set.difference(changed).difference(diff.removed)
    if (set.isEmpty()) managed.delete(otherId)
    else managed.set(otherId, {...r, set})
  }
  return {merged, managed}
}

// lastAppliedManager: kubectl's own apply may override fields the client-side apply annotation still
// describes, which is how `kubectl apply --server-side` takes over objects created with `kubectl apply`.
function applyWithLastApplied(
  args: ServerSideApplyArgs,
  run: (force: boolean) => ApplyResult,
  keys: ListKeys,
): ApplyResult {
  try {
    return run(args.force)
  } catch (err) {
    if (!(err instanceof ApplyConflicts) || args.manager !== KUBECTL_APPLY_MANAGER) throw err
    const allowed = allowedConflictsFromLastApplied(args.live, args.apiVersion, keys)
    if (!allowed) throw err
    const remaining: Conflict[] = err.conflicts.filter((c) => !allowed.has(c.path))
    if (remaining.length > 0) throw new ApplyConflicts(remaining)
    return run(true)
  }
}

function typedPatchError(applied: KubeObject, err: FieldPathError): ApiError {
  const ns = applied.metadata?.namespace ?? ''
  const name = applied.metadata?.name ?? ''
  return new ApiError(500, '', `failed to create typed patch object (${gvkString(applied)} ${ns}/${name}): ${err.message}`, undefined, {cause: err})
}

function validateApplied(args: ServerSideApplyArgs): void {
  const {applied, apiVersion} = args
  const kind = args.kind ?? args.live?.kind
  if (applied.apiVersion !== apiVersion || (kind !== undefined && applied.kind !== kind)) {
    throw badRequest(`invalid object type: ${gvkString(applied)}`)
  }
  if (applied.metadata?.managedFields !== undefined && applied.metadata?.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil')
  }
}

function decodeLive(live: KubeObject | undefined): Managed {
  try {
    return decodeManagedFields(live?.metadata?.managedFields)
  } catch (err) {
    log.warn({err}, 'stored managedFields unreadable; starting over')
    return new Map()
  }
}

const withoutTime = (entries: readonly ManagedFieldsEntry[]): ManagedFieldsEntry[] => entries.map(({time: _t, ...rest}) => rest)

/**
 * Applies `applied` on top of `live` and returns the object to store, with metadata.managedFields updated.
 * Throws ApiError 409 on conflicts with other managers (unless `force`), 400 on a malformed request.
 */
export function serverSideApply(args: ServerSideApplyArgs): KubeObject {
  validateApplied(args)
  const {applied, manager, apiVersion, now, subresource} = args
  const keys = args.keys ?? listKeysFor(args.kind ?? args.live?.kind ?? applied.kind)
  const ignored = args.resetFields ?? resetFieldsFor(subresource)
  const live = withoutManagedFields(args.live)
  const config = applied as Record<string, unknown>
  let configSet: FieldSet
  try {
    configSet = fieldSetOf(config, keys, {strict: true}).recursiveDifference(ignored)
  } catch (err) {
    if (err instanceof FieldPathError) throw typedPatchError(applied, err)
    throw err
  }
  const managedIn = decodeLive(args.live)
  const applier: ManagerRecord = {manager, operation: 'Apply', apiVersion, subresource: subresource || undefined, set: configSet}
  const id = managerIdentifier(applier)

  let result: ApplyResult
  try {
    result = applyWithLastApplied(args, (force) => applyOnce(live, config, configSet, managedIn, applier, force, keys, ignored), keys)
  } catch (err) {
    if (err instanceof ApplyConflicts) throw applyConflictError(err.conflicts)
    if (err instanceof FieldPathError) throw internalError(`failed to merge config: ${err.message}`, err)
    throw err
  }

  const {managed} = result
  const merged = result.merged as KubeObject
  const own = managed.get(id)!
  const stripped = own.set.difference(STRIPPED_FIELDS)
  if (stripped.isEmpty()) managed.delete(id)
  else managed.set(id, {...own, set: stripped, time: rfc3339(now)})
  if (manager === KUBECTL_APPLY_MANAGER) syncLastApplied(merged, applied)
  capUpdateManagers(managed)

  let entries = encodeManagedFields(managed)
  // Like IgnoreManagedFieldsTimestampsTransformer: an apply that changes nothing keeps the old timestamps,
  // so the write is a no-op and the resourceVersion does not move.
  const before = args.live?.metadata?.managedFields ?? []
  const sameObject = jsonEqual(removeItems(withoutManagedFields(merged), ignored, keys), removeItems(live, ignored, keys))
  if (sameObject && jsonEqual(withoutTime(entries), withoutTime(before))) entries = structuredClone(before)

  merged.metadata = {...(merged.metadata ?? {})}
  if (entries.length > 0) merged.metadata.managedFields = entries
  else delete merged.metadata.managedFields
  return merged
}
