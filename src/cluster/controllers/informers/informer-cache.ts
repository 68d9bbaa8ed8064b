// The in-memory state of one shared informer (client-go's thread-safe store + indexer): decoded objects
// by `namespace/name`, and indexes from an index value (a namespace, an owner uid, a node name) to the
// keys of the objects that have it, kept current on every change.
//
// Objects in the cache are SHARED and IMMUTABLE by contract: the same instance is handed to every
// controller that reads the cache and to the API watch streams that decoded it. Readers must never
// change them; code that wants to edit one copies it first (registry.update's mutation already gets
// its own copy of the live object). `freeze` deep-freezes what enters the cache so tests catch offenders.
import type {KubeObject} from '../../api/types.js'

/** Index values of an object (an object may have none, one or several). */
export type IndexFunc = (obj: KubeObject) => readonly string[]

export function cacheKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name
}

export function keyOf(obj: KubeObject): string {
  return cacheKey(obj.metadata.namespace, obj.metadata.name!)
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value as object)) deepFreeze(child)
  }
  return value
}

export interface ReplaceResult {
  /** Objects new to the cache. */
  added: KubeObject[]
  /** [old, new] for keys present before and after. */
  updated: Array<[KubeObject, KubeObject]>
  /** Last known state of keys that vanished. */
  deleted: KubeObject[]
}

export class InformerCache {
  private readonly items = new Map<string, KubeObject>()
  private readonly indexers = new Map<string, IndexFunc>()
  private readonly indices = new Map<string, Map<string, Set<string>>>()

  constructor(private readonly opts: {freeze?: boolean} = {}) {}

  /** Adds an index; existing objects are indexed at once. Re-adding a name with the same function is a no-op. */
  addIndexer(name: string, fn: IndexFunc): void {
    const existing = this.indexers.get(name)
    if (existing === fn) return
    if (existing) throw new Error(`informer index ${name} already exists with another function`)
    this.indexers.set(name, fn)
    const index = new Map<string, Set<string>>()
    this.indices.set(name, index)
    for (const [key, obj] of this.items) addToIndex(index, fn(obj), key)
  }

  hasIndexer(name: string): boolean {
    return this.indexers.has(name)
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.items.get(cacheKey(namespace, name))
  }

  getByKey(key: string): KubeObject | undefined {
    return this.items.get(key)
  }

  get size(): number {
    return this.items.size
  }

  list(): KubeObject[] {
    return [...this.items.values()]
  }

  /** Objects whose index `indexName` has `value`. Throws for an unknown index (a programming error). */
  byIndex(indexName: string, value: string): KubeObject[] {
    const index = this.indices.get(indexName)
    if (!index) throw new Error(`informer has no index ${indexName}`)
    const keys = index.get(value)
    if (!keys) return []
    const out: KubeObject[] = []
    for (const key of keys) out.push(this.items.get(key)!)
    return out
  }

  /** Stores the object; returns the previous state of its key. */
  upsert(obj: KubeObject): KubeObject | undefined {
    const key = keyOf(obj)
    const old = this.items.get(key)
    if (this.opts.freeze) deepFreeze(obj)
    this.items.set(key, obj)
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!
      if (old) removeFromIndex(index, fn(old), key)
      addToIndex(index, fn(obj), key)
    }
    return old
  }

  /** Removes the key; returns what it held. */
  remove(key: string): KubeObject | undefined {
    const old = this.items.get(key)
    if (!old) return undefined
    this.items.delete(key)
    for (const [name, fn] of this.indexers) removeFromIndex(this.indices.get(name)!, fn(old), key)
    return old
  }

  /** Makes the cache hold exactly `objects` (a relist), reporting what changed. */
  replace(objects: KubeObject[]): ReplaceResult {
    const result: ReplaceResult = {added: [], updated: [], deleted: []}
    const seen = new Set<string>()
    for (const obj of objects) {
      seen.add(keyOf(obj))
      const old = this.upsert(obj)
      if (old) result.updated.push([old, obj])
      else result.added.push(obj)
    }
    for (const key of [...this.items.keys()]) {
      if (seen.has(key)) continue
      result.deleted.push(this.remove(key)!)
    }
    return result
  }
}

function addToIndex(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value)
    if (!keys) index.set(value, (keys = new Set()))
    keys.add(key)
  }
}

function removeFromIndex(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    const keys = index.get(value)
    if (!keys) continue
    keys.delete(key)
    if (keys.size === 0) index.delete(value)
  }
}
