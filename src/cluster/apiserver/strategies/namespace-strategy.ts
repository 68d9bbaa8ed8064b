// Namespaces (pkg/registry/core/namespace/strategy.go): the `kubernetes.io/metadata.name` label is forced
// on every write, phase Active on create, and the `kubernetes` finalizer added on create only, since the
// namespace controller removes it once the namespace's content is gone.
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy} from './define-strategy.js'
import {index, pushAll} from './field-errors.js'
import {nameIsDNSLabel} from './name-rules.js'
import {validateFinalizerName, validateObjectMeta} from './object-meta-validation.js'

type Obj = Record<string, unknown>

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name'

export function defaultNamespace(obj: KubeObject): void {
  if (obj.metadata.name) obj.metadata.labels = {...obj.metadata.labels, [NAMESPACE_NAME_LABEL]: obj.metadata.name}
  const status = (isPlainObject(obj.status) ? obj.status : (obj.status = {})) as Obj
  status.phase ||= 'Active'
}

function validateNamespace(obj: KubeObject): FieldError[] {
  const finalizers = (obj.spec as {finalizers?: unknown} | undefined)?.finalizers
  const errs = validateObjectMeta(obj.metadata, {namespaced: false, name: nameIsDNSLabel})
  if (Array.isArray(finalizers)) finalizers.forEach((f, i) => pushAll(errs, validateFinalizerName(String(f), index('spec.finalizers', i))))
  return errs
}

export const namespaceStrategy = defineStrategy({
  hasStatus: true,
  applyDefaults: defaultNamespace,
  prepareForCreate(obj) {
    obj.status = {phase: 'Active'}
    const spec = (isPlainObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj
    const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : []
    spec.finalizers = finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes']
  },
  // Upstream keeps spec.finalizers from the old object here and lets only /finalize change them. The
  // registry sends /finalize writes through prepareForUpdate, so they stay writable on the main resource.
  validate: validateNamespace,
})
