// The list semantics server-side apply needs, per kind: which lists are maps (and their keys), sets or atomic,
// which objects are owned as a whole (+structType=atomic, +mapType=atomic), and which struct fields a typed
// empty object already has. All of it is read from the schema tree in patch-meta.ts, the table strategic
// merge patch uses too. Paths name fields; `*` stands for any list item: ['spec', 'containers', '*', 'ports'].
// Untagged lists are atomic, as on the real server.
import {childSchema, fieldNames, genericObjectSchema, itemSchema, schemaForKindName, UNKNOWN, type SchemaNode} from './patch-meta.js'

export type ListType = 'map' | 'set' | 'atomic'

export interface ListKeys {
  listType(path: readonly string[]): ListType
  /** The key fields of a listType=map list, e.g. ['containerPort', 'protocol']. */
  mapKeys(path: readonly string[]): readonly string[]
  /** Key fields the server defaults when absent (a port's protocol is "TCP"). */
  keyDefaults?(path: readonly string[]): Readonly<Record<string, unknown>>
  /** Objects owned as a whole: label selectors, object references, selector maps. */
  isAtomicObject?(path: readonly string[]): boolean
  /** The non-pointer structs (and non-omitempty nil lists) a typed empty object of the kind serializes. */
  skeleton?(): Readonly<Record<string, unknown>>
}

// Non-pointer structs cannot contain themselves, so the skeleton is finite; the bound only guards the table.
const MAX_SKELETON_DEPTH = 16

/** The skeleton of a struct: its typedZero fields, non-pointer structs filled in recursively; frozen, as it is shared. */
function typedZeroOf(node: SchemaNode, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const field of fieldNames(node)) {
    const child = childSchema(node, field)
    if (child.typedZero === 'null') out[field] = null
    else if (child.typedZero === 'object') out[field] = depth < MAX_SKELETON_DEPTH ? typedZeroOf(child, depth + 1) : {}
  }
  return Object.freeze(out)
}

class SchemaListKeys implements ListKeys {
  private readonly zero: Readonly<Record<string, unknown>>

  constructor(private readonly root: SchemaNode) {
    this.zero = typedZeroOf(root, 0)
  }

  /** The node at a schema path; a `*` steps into the items of a list. */
  private nodeAt(path: readonly string[]): SchemaNode {
    let node = this.root
    for (const step of path) {
      if (node === UNKNOWN) return UNKNOWN
      node = step === '*' && node.kind === 'list' ? itemSchema(node) : childSchema(node, step)
    }
    return node
  }

  listType(path: readonly string[]): ListType {
    const node = this.nodeAt(path)
    return (node.kind === 'list' && node.listType) || 'atomic'
  }

  mapKeys(path: readonly string[]): readonly string[] {
    const node = this.nodeAt(path)
    return (node.kind === 'list' && node.listType === 'map' && node.listMapKeys) || []
  }

  keyDefaults(path: readonly string[]): Readonly<Record<string, unknown>> {
    const node = this.nodeAt(path)
    if (node.kind !== 'list' || node.listType !== 'map') return {}
    const item = itemSchema(node)
    const defaults: Record<string, unknown> = {}
    for (const key of node.listMapKeys ?? []) {
      const value = childSchema(item, key).default
      if (value !== undefined) defaults[key] = value
    }
    return defaults
  }

  isAtomicObject(path: readonly string[]): boolean {
    const node = this.nodeAt(path)
    return (node.kind === 'struct' || node.kind === 'map') && node.atomic === true
  }

  skeleton(): Readonly<Record<string, unknown>> {
    return this.zero
  }
}

const cache = new Map<string, ListKeys>()

/** The default list semantics of a kind; unknown kinds get the ObjectMeta rules and atomic lists elsewhere. */
export function listKeysFor(kind: string | undefined): ListKeys {
  const root = kind ? schemaForKindName(kind) : undefined
  const name = root ? kind! : ''
  let keys = cache.get(name)
  if (!keys) {
    keys = new SchemaListKeys(root ?? genericObjectSchema())
    cache.set(name, keys)
  }
  return keys
}
