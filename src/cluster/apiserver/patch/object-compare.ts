// Which fields a write added, changed or removed (typed.TypedValue.Compare). Leaves are compared by value; a
// map or list node that appears or disappears as a whole is itself reported, so a new container item or a new
// labels map becomes a member of the writer's set (the `".": {}` entries seen on real servers).
import {jsonEqual} from '../../api/json-equal.js'
import {isPlainObject} from '../../api/types.js'
import {FieldSet} from './field-set.js'
import {serializeElement, type PathElement} from './field-path.js'
import {fieldStep, isAtomicObject, itemStep, listItemElement, ROOT, type Position} from './field-set-of.js'
import type {ListKeys} from './list-keys.js'

export interface Comparison {
  readonly added: FieldSet
  readonly modified: FieldSet
  readonly removed: FieldSet
}

export {jsonEqual}

/**
 * `obj` with the struct fields a typed empty object always serializes filled in, for comparisons only:
 * the filled-in parts are the (frozen) skeleton itself, not copies, so the result must not be changed.
 */
export function withSkeleton(obj: Record<string, unknown>, skeleton: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  if (!skeleton) return obj
  const out: Record<string, unknown> = {...obj}
  for (const [k, v] of Object.entries(skeleton)) {
    if (out[k] === undefined) out[k] = v
    else if (isPlainObject(v) && isPlainObject(out[k])) out[k] = withSkeleton(out[k] as Record<string, unknown>, v)
  }
  return out
}

type Shape = 'map' | 'list' | 'scalar'

function shapeOf(v: unknown): Shape {
  return isPlainObject(v) ? 'map' : Array.isArray(v) ? 'list' : 'scalar'
}

const isEmptyOrNull = (v: unknown): boolean =>
  v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0)

class Comparer {
  readonly added = new FieldSet()
  readonly modified = new FieldSet()
  readonly removed = new FieldSet()

  constructor(private readonly keys: ListKeys) {}

  private leaf(lhs: unknown, rhs: unknown, pos: Position): void {
    if (lhs === undefined) this.added.insert(pos.path)
    else if (rhs === undefined) this.removed.insert(pos.path)
    else if (!jsonEqual(lhs, rhs)) this.modified.insert(pos.path)
  }

  private node(lhs: unknown, rhs: unknown, pos: Position): void {
    if (lhs === undefined) this.added.insert(pos.path)
    else if (rhs === undefined) this.removed.insert(pos.path)
  }

  walk(lhs: unknown, rhs: unknown, pos: Position): void {
    // null takes the shape of the other side, as a typed nil map or list does.
    const shape = shapeOf(lhs !== undefined && lhs !== null ? lhs : rhs)
    const other = shapeOf(rhs !== undefined && rhs !== null ? rhs : lhs)
    if (shape !== other || shape === 'scalar') return this.leaf(lhs, rhs, pos)
    if (isEmptyOrNull(lhs) && isEmptyOrNull(rhs)) return this.leaf(lhs, rhs, pos)
    // Near the root, skip whole unchanged subtrees (a status write leaves spec and metadata alone).
    // Only near the root: deeper, the equality check would be repeated at every level of a changed path.
    if (pos.path.length <= 2 && lhs !== undefined && rhs !== undefined && jsonEqual(lhs, rhs)) return
    if (shape === 'map') {
      if (isAtomicObject(this.keys, pos)) return this.leaf(lhs, rhs, pos)
      const l = isPlainObject(lhs) ? lhs : {}
      const r = isPlainObject(rhs) ? rhs : {}
      for (const name of new Set([...Object.keys(l), ...Object.keys(r)])) {
        if (l[name] === undefined && r[name] === undefined) continue
        this.walk(l[name], r[name], fieldStep(pos, name))
      }
    } else {
      if (this.keys.listType(pos.schema) === 'atomic') return this.leaf(lhs, rhs, pos)
      const l = this.index(lhs, pos)
      const r = this.index(rhs, pos)
      for (const [id, {pe}] of new Map([...l, ...r])) this.walk(l.get(id)?.item, r.get(id)?.item, itemStep(pos, pe))
    }
    if (pos.path.length > 0) this.node(lhs, rhs, pos)
  }

  // Repeated keys keep their first item; items that cannot be keyed are not tracked.
  private index(list: unknown, pos: Position): Map<string, {pe: PathElement; item: unknown}> {
    const out = new Map<string, {pe: PathElement; item: unknown}>()
    if (!Array.isArray(list)) return out
    list.forEach((item, i) => {
      let pe: PathElement
      try {
        pe = listItemElement(this.keys, pos, item, i)
      } catch {
        return
      }
      const id = serializeElement(pe)
      if (!out.has(id)) out.set(id, {pe, item})
    })
    return out
  }
}

/** What changed from `lhs` to `rhs` (either may be an empty object for create/delete). */
export function compareObjects(lhs: Record<string, unknown>, rhs: Record<string, unknown>, keys: ListKeys): Comparison {
  const c = new Comparer(keys)
  c.walk(lhs, rhs, ROOT)
  return {added: c.added, modified: c.modified, removed: c.removed}
}

/** Drops the ignored paths and everything below them (Comparison.ExcludeFields). */
export function excludeFields(c: Comparison, ignored: FieldSet): Comparison {
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  }
}
