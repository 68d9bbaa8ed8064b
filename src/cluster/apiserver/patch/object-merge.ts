// The two object operations of server-side apply: merging an applied configuration into the live object
// (typed.TypedValue.Merge: maps merge, associative lists merge by key, sets union, atomic values replace) and
// removing a set of fields from an object (typed.TypedValue.RemoveItems), which pruning uses.
import {isPlainObject} from '../../api/types.js'
import {FieldPathError, pathToString, serializeElement, type PathElement} from './field-path.js'
import type {FieldSet} from './field-set.js'
import {fieldStep, isAtomicObject, itemStep, listItemElement, ROOT, type Position} from './field-set-of.js'
import type {ListKeys} from './list-keys.js'

interface Indexed {
  readonly pe: PathElement
  readonly id: string
  readonly item: unknown
}

const isEmpty = (v: unknown): boolean =>
  v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0)

function indexList(keys: ListKeys, list: unknown[], pos: Position, rejectDuplicates: boolean): Indexed[] {
  const seen = new Set<string>()
  return list.map((item, i) => {
    const pe = listItemElement(keys, pos, item, i)
    const id = serializeElement(pe)
    if (rejectDuplicates && seen.has(id)) {
      throw new FieldPathError(`${pathToString(pos.path)}: duplicate entries for key ${pathToString([pe])}`)
    }
    seen.add(id)
    return {pe, id, item}
  })
}

class Merger {
  constructor(private readonly keys: ListKeys) {}

  /** The merged value, or undefined when the result is absent. `rhs` wins at every leaf. */
  merge(lhs: unknown, rhs: unknown, pos: Position): unknown {
    if (rhs === undefined) return structuredClone(lhs)
    // An applied null clears a scalar (a typed round trip drops it) but leaves a live map or list in place.
    if (rhs === null && !isPlainObject(lhs) && !Array.isArray(lhs)) return lhs === null ? null : undefined
    if (lhs === undefined || lhs === null) return withoutNulls(rhs)
    if (isPlainObject(lhs) && (isPlainObject(rhs) || rhs === null)) {
      if (isAtomicObject(this.keys, pos) || (isEmpty(lhs) && isEmpty(rhs))) return structuredClone(rhs)
      return this.mergeMaps(lhs, rhs ?? {}, pos)
    }
    if (Array.isArray(lhs) && (Array.isArray(rhs) || rhs === null)) {
      if (this.keys.listType(pos.schema) === 'atomic' || (isEmpty(lhs) && isEmpty(rhs))) return structuredClone(rhs)
      return this.mergeLists(lhs, rhs ?? [], pos)
    }
    return structuredClone(rhs)
  }

  private mergeMaps(lhs: Record<string, unknown>, rhs: Record<string, unknown>, pos: Position): unknown {
    const out: Record<string, unknown> = {}
    for (const name of new Set([...Object.keys(lhs), ...Object.keys(rhs)])) {
      if (lhs[name] === undefined && rhs[name] === undefined) continue
      const v = this.merge(lhs[name], rhs[name], fieldStep(pos, name))
      if (v !== undefined) out[name] = v
    }
    return Object.keys(out).length > 0 ? out : undefined
  }

  // The ordering follows typed/merge.go: items shared with the applied list move into the applied order,
  // items only in the live list keep their place relative to them, new items follow their applied neighbours.
  private mergeLists(lhs: unknown[], rhs: unknown[], pos: Position): unknown {
    const rIdx = indexList(this.keys, rhs, pos, true)
    const lIdx = indexList(this.keys, lhs, pos, false)
    const observedL = new Map<string, unknown>()
    for (const e of lIdx) if (!observedL.has(e.id)) observedL.set(e.id, e.item)
    const observedR = new Map(rIdx.map((e) => [e.id, e.item]))
    const shared = rIdx.filter((e) => observedL.has(e.id)).map((e) => e.id)
    let next = shared.shift()
    const merged = new Set<string>()
    const out: unknown[] = []
    const mergeItem = (e: Indexed): void => {
      merged.add(e.id)
      const v = this.merge(observedL.get(e.id), observedR.get(e.id), itemStep(pos, e.pe))
      if (v !== undefined) out.push(v)
    }
    let l = 0
    let r = 0
    // Every round consumes at least one item, so the loop is bounded by the two lengths.
    for (let round = 0; (l < lIdx.length || r < rIdx.length) && round <= lIdx.length + rIdx.length; round++) {
      if (l < lIdx.length && r < rIdx.length) {
        const le = lIdx[l]
        if (le.id === rIdx[r].id) {
          mergeItem(le)
          l++
          r++
          next = shared.shift()
          continue
        }
        if (observedR.has(le.id) && next !== undefined && next !== le.id) {
          l++
          continue
        }
      }
      if (l < lIdx.length) {
        const le = lIdx[l]
        if (!observedR.has(le.id)) {
          out.push(structuredClone(le.item))
          l++
          continue
        }
        if (merged.has(le.id) || r >= rIdx.length) {
          l++
          continue
        }
      }
      if (r < rIdx.length) {
        const re = rIdx[r]
        mergeItem(re)
        r++
        if (next === re.id) next = shared.shift()
      }
    }
    return out.length > 0 ? out : undefined
  }
}

/**
 * Merges an applied configuration into the live object. Throws FieldPathError when the configuration has an
 * associative-list item without its key or two items with the same key.
 */
export function mergeObjects(live: Record<string, unknown>, config: Record<string, unknown>, keys: ListKeys): Record<string, unknown> {
  const out = new Merger(keys).merge(live, config, ROOT)
  return isPlainObject(out) ? out : {}
}

// Applied values that are new to the object lose their null fields, as a typed round trip would drop them.
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v)
  return out
}

function remove(keys: ListKeys, value: unknown, toRemove: FieldSet, pos: Position): unknown {
  if (isPlainObject(value)) {
    if (isEmpty(value) || isAtomicObject(keys, pos)) return undefined
    const out: Record<string, unknown> = {}
    for (const [name, child] of Object.entries(value)) {
      const next = fieldStep(pos, name)
      const pe = next.path[next.path.length - 1]
      if (toRemove.hasMember(pe)) continue
      const sub = toRemove.child(pe)
      const v = sub.isEmpty() ? child : remove(keys, child, sub, next)
      if (v !== undefined) out[name] = v
    }
    return Object.keys(out).length > 0 ? out : undefined
  }
  if (Array.isArray(value)) {
    if (value.length === 0 || keys.listType(pos.schema) === 'atomic') return undefined
    const out: unknown[] = []
    value.forEach((item, i) => {
      let pe: PathElement
      try {
        pe = listItemElement(keys, pos, item, i)
      } catch {
        out.push(item)
        return
      }
      if (toRemove.hasMember(pe)) return
      const sub = toRemove.child(pe)
      const v = sub.isEmpty() ? item : remove(keys, item, sub, itemStep(pos, pe))
      if (v !== undefined) out.push(v)
    })
    return out.length > 0 ? out : undefined
  }
  return value
}

/** `obj` without the members of `toRemove` (and everything below them); emptied maps and lists disappear. */
export function removeItems(obj: Record<string, unknown>, toRemove: FieldSet, keys: ListKeys): Record<string, unknown> {
  if (toRemove.isEmpty()) return structuredClone(obj)
  const out = remove(keys, structuredClone(obj), toRemove, ROOT)
  return isPlainObject(out) ? out : {}
}
