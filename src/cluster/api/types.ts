// The generic object shape every handler works with. Kind-specific code uses kubernetes-types
// (type-only) for the fields it reads; generic code never special-cases a kind.
import type {ObjectMeta as ReadonlyObjectMeta} from 'kubernetes-types/meta/v1.js'

/** kubernetes-types marks server-set fields readonly; the server is exactly who sets them. */
export type Mutable<T> = {-readonly [K in keyof T]: T[K]}
export type ObjectMeta = Mutable<ReadonlyObjectMeta>

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  [field: string]: unknown
}

export interface ListMeta {
  resourceVersion: string
  continue?: string
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string
  kind: string
  metadata: ListMeta
  items: T[]
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Deep copy of JSON data (objects from the store and requests are always plain JSON). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value)
}
