// A set of field paths as a tree (fieldpath.Set): `members` are the paths that end here, `children` the steps
// that lead further down. Converts to and from the FieldsV1 JSON of managedFields, where a member is `{}` and a
// node that is both a member and a parent carries `".": {}` first.
import {isPlainObject} from '../../api/types.js'
import {compareElements, parseElement, serializeElement, FieldPathError, type FieldPath, type PathElement} from './field-path.js'

interface ChildNode {
  readonly pe: PathElement
  readonly set: FieldSet
}

export class FieldSet {
  // Keyed by the serialized element, which is canonical, so map identity is element equality.
  private readonly members = new Map<string, PathElement>()
  private readonly children = new Map<string, ChildNode>()

  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet()
    for (const p of paths) set.insert(p)
    return set
  }

  /** Adds one path. Parents are not added; the empty path (the whole object) is never owned. */
  insert(path: FieldPath): void {
    if (path.length === 0) return
    let node: FieldSet = this
    for (let i = 0; i < path.length - 1; i++) node = node.descend(path[i])
    const last = path[path.length - 1]
    node.members.set(serializeElement(last), last)
  }

  private descend(pe: PathElement): FieldSet {
    const id = serializeElement(pe)
    let child = this.children.get(id)
    if (!child) {
      child = {pe, set: new FieldSet()}
      this.children.set(id, child)
    }
    return child.set
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false
    let node: FieldSet | undefined = this
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(serializeElement(path[i]))?.set
    return node?.members.has(serializeElement(path[path.length - 1])) ?? false
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(serializeElement(pe))
  }

  /** The paths below `pe`, without the prefix (Set.WithPrefix). */
  child(pe: PathElement): FieldSet {
    return this.children.get(serializeElement(pe))?.set ?? new FieldSet()
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false
    return true
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [id, pe] of this.members) out.members.set(id, pe)
    for (const [id, pe] of other.members) out.members.set(id, pe)
    for (const [id, c] of this.children) {
      const o = other.children.get(id)
      out.children.set(id, {pe: c.pe, set: o ? c.set.union(o.set) : c.set})
    }
    for (const [id, c] of other.children) if (!this.children.has(id)) out.children.set(id, c)
    return out
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [id, pe] of this.members) if (other.members.has(id)) out.members.set(id, pe)
    for (const [id, c] of this.children) {
      const o = other.children.get(id)
      if (!o) continue
      const set = c.set.intersection(o.set)
      if (!set.isEmpty()) out.children.set(id, {pe: c.pe, set})
    }
    return out
  }

  /** Leaf-wise difference: removing a parent path does not remove its children. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe)
    for (const [id, c] of this.children) {
      const o = other.children.get(id)
      const set = o ? c.set.difference(o.set) : c.set
      if (!set.isEmpty()) out.children.set(id, {pe: c.pe, set})
    }
    return out
  }

  /** Like difference, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe)
    for (const [id, c] of this.children) {
      if (other.members.has(id)) continue
      const o = other.children.get(id)
      const set = o ? c.set.recursiveDifference(o.set) : c.set
      if (!set.isEmpty()) out.children.set(id, {pe: c.pe, set})
    }
    return out
  }

  /**
   * Makes every named field that has children a member too (a set holding `a.b.c` then also owns `a` and
   * `a.b`), as pruning needs. Map keys with children would be the exception; the built-in kinds have none.
   */
  ensureNamedFieldsAreMembers(): FieldSet {
    const out = new FieldSet()
    for (const [id, pe] of this.members) out.members.set(id, pe)
    for (const [id, c] of this.children) {
      if ('field' in c.pe) out.members.set(id, c.pe)
      out.children.set(id, {pe: c.pe, set: c.set.ensureNamedFieldsAreMembers()})
    }
    return out
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size) return false
    for (const id of this.members.keys()) if (!other.members.has(id)) return false
    const mine = [...this.children].filter(([, c]) => !c.set.isEmpty())
    const theirs = [...other.children].filter(([, c]) => !c.set.isEmpty())
    if (mine.length !== theirs.length) return false
    for (const [id, c] of mine) {
      const o = other.children.get(id)
      if (!o || !c.set.equals(o.set)) return false
    }
    return true
  }

  /** Every member path, members before children at each level, in element order (Set.Iterate). */
  paths(prefix: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = sorted([...this.members.values()]).map((pe) => [...prefix, pe])
    for (const c of sortedChildren(this.children)) out.push(...c.set.paths([...prefix, c.pe]))
    return out
  }

  toFieldsV1(): Record<string, unknown> {
    return this.emit(false)
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    if (includeSelf && (this.members.size > 0 || this.children.size > 0)) out['.'] = {}
    const entries: {pe: PathElement; child?: FieldSet; member: boolean}[] = []
    for (const [id, pe] of this.members) entries.push({pe, child: this.children.get(id)?.set, member: true})
    for (const [id, c] of this.children) if (!this.members.has(id)) entries.push({pe: c.pe, child: c.set, member: false})
    entries.sort((a, b) => compareElements(a.pe, b.pe))
    for (const e of entries) out[serializeElement(e.pe)] = e.child ? e.child.emit(e.member) : {}
    return out
  }

  /** Reads FieldsV1 JSON; throws FieldPathError on malformed keys, skips unknown element kinds. */
  static fromFieldsV1(json: unknown): FieldSet {
    const set = new FieldSet()
    if (!isPlainObject(json)) throw new FieldPathError('FieldsV1 must be a JSON object')
    set.readFieldsV1(json)
    return set
  }

  // Builds the tree level by level (each subtree is attached once, not re-inserted path by path);
  // returns whether the node is itself a member.
  private readFieldsV1(json: Record<string, unknown>): boolean {
    let isMember = false
    let hasEntries = false
    for (const [key, sub] of Object.entries(json)) {
      if (key === '.') {
        isMember = true
        continue
      }
      const pe = parseElement(key)
      if (pe === undefined) continue
      if (!isPlainObject(sub)) throw new FieldPathError(`FieldsV1 entry ${JSON.stringify(key)} must be an object`)
      hasEntries = true
      const id = serializeElement(pe)
      const grand = new FieldSet()
      if (grand.readFieldsV1(sub)) this.members.set(id, pe)
      if (!grand.isEmpty()) this.children.set(id, {pe, set: grand})
    }
    return isMember || !hasEntries
  }
}

function sorted(pes: PathElement[]): PathElement[] {
  return pes.sort(compareElements)
}

function sortedChildren(children: Map<string, ChildNode>): ChildNode[] {
  return [...children.values()].sort((a, b) => compareElements(a.pe, b.pe))
}
