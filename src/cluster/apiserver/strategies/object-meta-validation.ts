// ObjectMeta rules of k8s.io/apimachinery/pkg/api/validation (objectmeta.go) plus the core additions
// (kube finalizer names). The generic layer (registry/object-meta.ts) owns uid, creationTimestamp,
// resourceVersion, generation and the immutability of name/namespace on update; these rules cover the
// rest: name format per kind, namespace presence, labels, annotations, ownerReferences, finalizers.
import type {FieldError} from '../../api/errors.js'
import type {ObjectMeta} from '../../api/types.js'
import {child, forbidden, invalid, invalidEach, nonNegative, required, tooLong, pushAll} from './field-errors.js'
import {isLabelValue, isQualifiedName, nameIsDNSLabel, type NameValidator} from './name-rules.js'

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

/** Finalizers without a domain prefix that the core API accepts. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion'])

export interface ObjectMetaRules {
  /** Namespaced kinds require metadata.namespace; cluster kinds forbid it. */
  namespaced: boolean
  name: NameValidator
}

/** ValidateObjectMeta (core flavour) for a new object, under `metadata`. */
export function validateObjectMeta(meta: ObjectMeta | undefined, rules: ObjectMetaRules, path = 'metadata'): FieldError[] {
  const m = meta ?? {}
  const errs: FieldError[] = []
  if (m.generateName) pushAll(errs, invalidEach(child(path, 'generateName'), m.generateName, rules.name(m.generateName, true)))
  if (!m.name) errs.push(required(child(path, 'name'), 'name or generateName is required'))
  else pushAll(errs, invalidEach(child(path, 'name'), m.name, rules.name(m.name, false)))
  pushAll(errs, validateNamespacePresence(m, rules.namespaced, path))
  pushAll(errs, nonNegative(m.generation, child(path, 'generation')))
  pushAll(errs, validateCommonMeta(m, path))
  return errs
}

/**
 * The update-only part of ValidateObjectMetaUpdate. The generic layer already enforces name, uid,
 * timestamps and "no new finalizers while deleting"; labels etc. are re-checked by validateObjectMeta.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  const generation = meta?.generation ?? 0
  return generation < (old?.generation ?? 0) ? [invalid(child(path, 'generation'), generation, 'must not be decremented')] : []
}

function validateNamespacePresence(m: ObjectMeta, namespaced: boolean, path: string): FieldError[] {
  if (!namespaced) return m.namespace ? [forbidden(child(path, 'namespace'), 'not allowed on this type')] : []
  if (!m.namespace) return [required(child(path, 'namespace'))]
  return invalidEach(child(path, 'namespace'), m.namespace, nameIsDNSLabel(m.namespace, false))
}

function validateCommonMeta(m: ObjectMeta, path: string): FieldError[] {
  return [
    ...validateLabels(m.labels, child(path, 'labels')),
    ...validateAnnotations(m.annotations, child(path, 'annotations')),
    ...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')),
    ...validateFinalizers(m.finalizers, child(path, 'finalizers')),
  ]
}

/** v1validation.ValidateLabels: errors sit on the map path, carrying the bad key or value. */
export function validateLabels(labels: Record<string, unknown> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of Object.entries(labels ?? {})) {
    pushAll(errs, invalidEach(path, k, isQualifiedName(k)))
    const value = typeof v === 'string' ? v : String(v)
    pushAll(errs, invalidEach(path, value, isLabelValue(value)))
  }
  return errs
}

export function validateAnnotations(annotations: Record<string, unknown> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = []
  let total = 0
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // The rule is QualifiedName except that case does not matter.
    pushAll(errs, invalidEach(path, k, isQualifiedName(k.toLowerCase())))
    total += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v))
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT))
  return errs
}

export function validateOwnerReferences(refs: ObjectMeta['ownerReferences'], path: string): FieldError[] {
  const errs: FieldError[] = []
  let firstController = ''
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? ''
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion
    if (!version) errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'))
    if (!ref.kind) errs.push(invalid(child(path, 'kind'), ref.kind ?? '', 'must not be empty'))
    if (!ref.name) errs.push(invalid(child(path, 'name'), ref.name ?? '', 'must not be empty'))
    if (!ref.uid) errs.push(invalid(child(path, 'uid'), ref.uid ?? '', 'must not be empty'))
    if (apiVersion === 'v1' && ref.kind === 'Event') errs.push(invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'))
    if (ref.controller) {
      const current = `${ref.kind}/${ref.name}`
      if (firstController) {
        errs.push(invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`))
      } else {
        firstController = current
      }
    }
  }
  return errs
}

export function validateFinalizers(finalizers: string[] | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = []
  for (const f of finalizers ?? []) pushAll(errs, validateFinalizerName(f, path))
  const list = finalizers ?? []
  if (list.includes('orphan') && list.includes('foregroundDeletion'))
    errs.push(invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'))
  return errs
}

/** A qualified name, and without a domain prefix only one of the standard finalizers. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name))
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name))
    errs.push(invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'))
  return errs
}
