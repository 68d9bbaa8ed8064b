// How server-side apply by the manager "kubectl" cooperates with client-side apply's
// kubectl.kubernetes.io/last-applied-configuration annotation (lastappliedmanager.go, lastappliedupdater.go):
// conflicts on fields the annotation still describes truthfully are forgiven, and an existing annotation is
// rewritten to the newly applied configuration.
import {isPlainObject, type KubeObject} from '../../api/types.js'
import type {FieldSet} from './field-set.js'
import {fieldSetOf} from './field-set-of.js'
import {goJson} from './go-json.js'
import type {ListKeys} from './list-keys.js'
import {compareObjects} from './object-compare.js'

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration'
/** Only this manager upgrades from, and keeps up to date, the client-side apply annotation. */
export const KUBECTL_APPLY_MANAGER = 'kubectl'

// apimachinery's TotalAnnotationSizeLimitB.
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024

function lastAppliedOf(obj: {metadata?: {annotations?: Record<string, string>}} | undefined): string | undefined {
  const value = obj?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The fields a conflict may be forgiven on: those in the annotation whose value still matches the live object.
 * Undefined when there is no usable annotation.
 */
export function allowedConflictsFromLastApplied(live: KubeObject | undefined, apiVersion: string, keys: ListKeys): FieldSet | undefined {
  const text = lastAppliedOf(live)
  if (!live || text === undefined) return undefined
  let lastApplied: unknown
  try {
    lastApplied = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isPlainObject(lastApplied) || lastApplied.apiVersion !== apiVersion) return undefined
  try {
    const set = fieldSetOf(lastApplied, keys)
    const diff = compareObjects(lastApplied, live, keys)
    return set.difference(diff.modified).difference(diff.added).difference(diff.removed)
  } catch {
    return undefined
  }
}

/** The annotation value: the applied object without the annotation, as Go's json.Encoder writes it. */
export function buildLastApplied(applied: KubeObject): string {
  const copy = structuredClone(applied) as Record<string, unknown> & KubeObject
  const annotations = copy.metadata?.annotations
  if (annotations) delete annotations[LAST_APPLIED_ANNOTATION]
  return `${goJson(copy)}\n`
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Rewrites an existing annotation on `merged` in place; drops it if the annotations would grow too large. */
export function syncLastApplied(merged: KubeObject, applied: KubeObject): void {
  if (lastAppliedOf(merged) === undefined) return
  const annotations: Record<string, string> = {...merged.metadata.annotations, [LAST_APPLIED_ANNOTATION]: buildLastApplied(applied)}
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + byteLength(k) + byteLength(v), 0)
  if (size > ANNOTATIONS_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION]
  merged.metadata.annotations = annotations
}
