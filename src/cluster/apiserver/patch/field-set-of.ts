// The set of fields an object sets (typed.TypedValue.ToFieldSet): scalars, atomic lists and atomic objects are
// leaves; every associative-list item is a member and a parent; a struct field is only a member when its value
// is null or {}. An empty granular list contributes nothing, exactly as on the real server.
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {FieldSet} from './field-set.js'
import {fieldElement, keyElement, pathToString, valueElement, FieldPathError, type FieldPath, type PathElement} from './field-path.js'
import {listKeysFor, type ListKeys} from './list-keys.js'

/** A step down: the schema path (field names, `*` for items) and the field path (elements) side by side. */
export interface Position {
  readonly schema: readonly string[]
  readonly path: FieldPath
}

export const ROOT: Position = {schema: [], path: []}

export function fieldStep(pos: Position, name: string): Position {
  return {schema: [...pos.schema, name], path: [...pos.path, fieldElement(name)]}
}

export function itemStep(pos: Position, pe: PathElement): Position {
  return {schema: [...pos.schema, '*'], path: [...pos.path, pe]}
}

/** The element naming one item of a map or set list (listItemToPathElement). */
export function listItemElement(keys: ListKeys, pos: Position, item: unknown, index: number): PathElement {
  if (keys.listType(pos.schema) === 'set') return valueElement(item)
  const names = keys.mapKeys(pos.schema)
  if (!isPlainObject(item)) {
    throw new FieldPathError(`${pathToString(pos.path)}: element ${index}: associative list with keys may not have non-map elements`)
  }
  const defaults = keys.keyDefaults?.(pos.schema) ?? {}
  const fields: Record<string, unknown> = {}
  for (const name of names) {
    const value = item[name] ?? defaults[name]
    if (value === undefined || value === null) {
      throw new FieldPathError(
        `${pathToString(pos.path)}: element ${index}: associative list with keys has an element that omits key field ` +
          `${JSON.stringify(name)} (and doesn't have default value)`,
      )
    }
    fields[name] = value
  }
  return keyElement(fields)
}

export function isAtomicObject(keys: ListKeys, pos: Position): boolean {
  return keys.isAtomicObject?.(pos.schema) ?? false
}

function collect(keys: ListKeys, value: unknown, pos: Position, set: FieldSet, strict: boolean): void {
  if (isPlainObject(value)) {
    if (isAtomicObject(keys, pos)) {
      set.insert(pos.path)
      return
    }
    for (const [name, child] of Object.entries(value)) {
      if (child === undefined) continue
      const next = fieldStep(pos, name)
      collect(keys, child, next, set, strict)
      if (child === null || (isPlainObject(child) && Object.keys(child).length === 0)) set.insert(next.path)
    }
    return
  }
  if (Array.isArray(value)) {
    if (keys.listType(pos.schema) === 'atomic') {
      set.insert(pos.path)
      return
    }
    value.forEach((item, i) => {
      const next = itemStep(pos, listItemElement(keys, pos, item, i))
      if (strict && set.has(next.path)) {
        throw new FieldPathError(`${pathToString(pos.path)}: duplicate entries for key ${pathToString(next.path.slice(-1))}`)
      }
      collect(keys, item, next, set, strict)
      set.insert(next.path)
    })
    return
  }
  set.insert(pos.path)
}

/**
 * Every field `obj` sets, keyed the way managedFields spells it. Throws FieldPathError on list items without
 * their key, and with `strict` (applied configurations) also on two items with the same key.
 */
export function fieldSetOf(
  obj: KubeObject | Record<string, unknown>,
  keys: ListKeys = listKeysFor(kindOf(obj)),
  options: {strict?: boolean} = {},
): FieldSet {
  const set = new FieldSet()
  collect(keys, obj, ROOT, set, options.strict ?? false)
  return set
}

function kindOf(obj: Record<string, unknown>): string | undefined {
  return typeof obj.kind === 'string' ? obj.kind : undefined
}
