// metadata.managedFields, decoded into one field set per manager and encoded back the way the real API server
// does (k8s.io/apimachinery/pkg/util/managedfields/internal), plus the tracking of non-apply writes.
import type {ManagedFieldsEntry} from 'kubernetes-types/meta/v1.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {logger} from '../../log.js'
import {FieldSet} from './field-set.js'
import {fieldElement, type FieldPath} from './field-path.js'
import {goJsonString} from './go-json.js'
import {listKeysFor, type ListKeys} from './list-keys.js'
import {compareObjects, excludeFields, withSkeleton} from './object-compare.js'

export type {ManagedFieldsEntry}

export type Operation = 'Apply' | 'Update'

/** One manager's ownership. `original` keeps the entry as stored so an unchanged set is re-emitted verbatim. */
export interface ManagerRecord {
  manager: string
  operation: Operation
  apiVersion: string
  subresource?: string
  set: FieldSet
  time?: string
  original?: {set: FieldSet; entry: ManagedFieldsEntry}
}

/** Records by manager identifier (see managerIdentifier). */
export type Managed = Map<string, ManagerRecord>

export class ManagedFieldsError extends Error {
  override name = 'ManagedFieldsError'
  readonly code = 'InvalidManagedFields'
}

const f = (...names: string[]): FieldPath => names.map(fieldElement)

/** Never owned by anyone: the real server strips these from the writer's set (stripMetaManager). */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of(
  f('apiVersion'),
  f('kind'),
  f('metadata'),
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (n) => f('metadata', n),
  ),
)

/**
 * Fields a write through the main resource or a subresource may not own, because the strategy resets them
 * (GetResetFields). Kinds reset more on /status (Deployment: metadata.labels; Pod: ownerReferences); callers
 * that know their strategy pass their own set.
 */
export function resetFieldsFor(subresource: string | undefined): FieldSet {
  if (subresource === undefined || subresource === '') return FieldSet.of(f('status'))
  if (subresource === 'status') return FieldSet.of(f('spec'))
  return new FieldSet()
}

/** `2026-11-22T08:04:30Z` */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * The key a manager's entry is found by: the entry's JSON without time and fields. Appliers are one entry
 * whatever apiVersion they used; updaters get one entry per apiVersion.
 */
export function managerIdentifier(r: {manager: string; operation: Operation; apiVersion: string; subresource?: string}): string {
  const parts = [`"manager":${goJsonString(r.manager)}`, `"operation":${goJsonString(r.operation)}`]
  if (r.operation === 'Update' && r.apiVersion) parts.push(`"apiVersion":${goJsonString(r.apiVersion)}`)
  if (r.subresource) parts.push(`"subresource":${goJsonString(r.subresource)}`)
  return `{${parts.join(',')}}`
}

/** Throws ManagedFieldsError on an entry the real server would reject. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managed {
  const managed: Managed = new Map()
  ;(entries ?? []).forEach((entry, i) => {
    if (!isPlainObject(entry as unknown)) throw new ManagedFieldsError(`managed fields entry ${i} must be an object`)
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`')
    if (!entry.apiVersion) throw new ManagedFieldsError('apiVersion must not be empty')
    if (entry.fieldsType !== 'FieldsV1') {
      const what = entry.fieldsType ? `invalid fieldsType ${JSON.stringify(entry.fieldsType)}` : 'missing fieldsType'
      throw new ManagedFieldsError(`${what} in managed fields entry ${i}`)
    }
    let set: FieldSet
    try {
      set = FieldSet.fromFieldsV1(entry.fieldsV1 ?? {})
    } catch (cause) {
      throw new ManagedFieldsError(`error decoding versioned set from managed fields entry ${i}`, {cause})
    }
    const record: ManagerRecord = {
      manager: entry.manager ?? '',
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      subresource: entry.subresource || undefined,
      set,
      time: entry.time,
      original: {set, entry},
    }
    managed.set(managerIdentifier(record), record)
  })
  return managed
}

const seconds = (t: string | undefined): number => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0)

/** Entries in the real server's order: Apply before Update, then by time, manager, apiVersion, subresource. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = []
  for (const r of managed.values()) {
    if (r.set.isEmpty()) continue
    const unchanged = r.original && r.original.entry.apiVersion === r.apiVersion && r.original.set.equals(r.set)
    const entry: ManagedFieldsEntry = {manager: r.manager, operation: r.operation, apiVersion: r.apiVersion}
    if (r.time) entry.time = r.time
    entry.fieldsType = 'FieldsV1'
    // An unchanged set keeps its stored JSON as is: it was decoded for this write alone, so sharing it is safe.
    entry.fieldsV1 = unchanged ? (r.original!.entry.fieldsV1 ?? {}) : r.set.toFieldsV1()
    if (r.subresource) entry.subresource = r.subresource
    entries.push(entry)
  }
  const cmp = (a = '', b = ''): number => (a === b ? 0 : a < b ? -1 : 1)
  return entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource, q.subresource),
  )
}

export const MAX_UPDATE_MANAGERS = 10

/** Past ten Update entries, the oldest are folded into one `ancient-changes` entry per apiVersion. */
export function capUpdateManagers(managed: Managed, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managed.entries()].filter(([, r]) => r.operation === 'Update')
  if (updaters.length <= max) return
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0))
  const firstByVersion = new Map<string, string>()
  let count = updaters.length
  for (const [id, r] of updaters) {
    if (count <= max) break
    const bucketId = managerIdentifier({manager: 'ancient-changes', operation: 'Update', apiVersion: r.apiVersion})
    const first = firstByVersion.get(r.apiVersion)
    if (first === undefined) {
      firstByVersion.set(r.apiVersion, id)
      continue
    }
    if (!managed.has(bucketId)) {
      const firstRecord = managed.get(first)!
      managed.delete(first)
      managed.set(bucketId, {...firstRecord, manager: 'ancient-changes', subresource: undefined, original: undefined})
    }
    const bucket = managed.get(bucketId)!
    managed.set(bucketId, {...bucket, set: bucket.set.union(r.set), time: r.time, original: undefined})
    managed.delete(id)
    count--
  }
}

/**
 * The managed fields an API server may take from the request body: a non-empty, valid list set through the
 * main resource replaces the stored one (kubectl's SSA migration relies on it); `[{}]` resets; anything else
 * falls back to the stored list.
 */
function managedFromRequestOrLive(old: KubeObject | undefined, updated: KubeObject, subresource: string | undefined): Managed {
  const fromLive = (): Managed => {
    try {
      return decodeManagedFields(old?.metadata?.managedFields)
    } catch {
      return new Map()
    }
  }
  const requested = updated.metadata?.managedFields
  if (subresource || !Array.isArray(requested) || requested.length === 0) return fromLive()
  if (requested.length === 1 && isPlainObject(requested[0]) && Object.keys(requested[0]).length === 0) return new Map()
  try {
    const managed = decodeManagedFields(requested)
    return managed.size > 0 ? managed : fromLive()
  } catch {
    return fromLive()
  }
}

const withoutManagedFields = (obj: KubeObject | undefined): Record<string, unknown> => {
  if (!obj) return {}
  const {managedFields: _ignored, ...metadata} = obj.metadata ?? {}
  return {...obj, metadata}
}

/** The top-level fields resetFieldsFor(subresource) names, as plain keys. */
function resetTopLevelFor(subresource: string | undefined): string[] {
  if (subresource === undefined || subresource === '') return ['status']
  if (subresource === 'status') return ['spec']
  return []
}

function withoutTopLevel(obj: Record<string, unknown>, names: string[]): Record<string, unknown> {
  if (!names.some((n) => n in obj)) return obj
  const copy = {...obj}
  for (const n of names) delete copy[n]
  return copy
}

export interface UpdateManagedFieldsArgs {
  old: KubeObject | undefined
  /** The object about to be stored; its metadata.managedFields is what the request carried. */
  updated: KubeObject
  manager: string
  apiVersion: string
  now: Date
  subresource?: string
  keys?: ListKeys
  /** Fields the strategy resets for this endpoint; defaults to resetFieldsFor(subresource). */
  resetFields?: FieldSet
}

const log = logger('managed-fields')

/**
 * managedFields after a create, update or non-apply patch: the writer's Update entry gains every field the
 * write added or changed, every other manager loses those fields (updates never conflict), and removed fields
 * leave all sets. Only an entry that gained fields gets a new time.
 */
export function updateManagedFields(args: UpdateManagedFieldsArgs): ManagedFieldsEntry[] {
  const {old, updated, manager, apiVersion, now, subresource} = args
  const keys = args.keys ?? listKeysFor(updated.kind ?? old?.kind)
  const managed = managedFromRequestOrLive(old, updated, subresource)
  const ignored = args.resetFields ?? resetFieldsFor(subresource)
  try {
    const skeleton = keys.skeleton?.()
    // A top-level field the endpoint resets (spec for /status, status for the main resource) is
    // excluded from the diff whole, so it is not walked at all: a pod's spec is most of its size and
    // the kubelet's status writes are the most frequent writes there are.
    const skipped = args.resetFields ? [] : resetTopLevelFor(subresource)
    const side = (obj: KubeObject | undefined) => withSkeleton(withoutTopLevel(withoutManagedFields(obj), skipped), skeleton)
    const diff = excludeFields(compareObjects(side(old), side(updated), keys), ignored)
    const changed = diff.modified.union(diff.added)
    for (const [id, r] of managed) {
      const set = r.set.difference(changed).difference(diff.removed)
      if (set.isEmpty()) managed.delete(id)
      else managed.set(id, {...r, set})
    }
    const own = changed.difference(diff.removed).recursiveDifference(ignored).difference(STRIPPED_FIELDS)
    if (!own.isEmpty()) {
      const record: ManagerRecord = {manager, operation: 'Update', apiVersion, subresource: subresource || undefined, set: own, time: rfc3339(now)}
      const id = managerIdentifier(record)
      const previous = managed.get(id)
      managed.set(id, {...record, set: previous ? own.union(previous.set) : own, original: previous?.original})
    }
    capUpdateManagers(managed)
    return encodeManagedFields(managed)
  } catch (err) {
    // The real server logs and clears managedFields rather than failing the write (UpdateNoErrors).
    log.error({err, manager}, 'managed fields tracking failed')
    return []
  }
}
