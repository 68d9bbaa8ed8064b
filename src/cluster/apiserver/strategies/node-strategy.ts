// Nodes (pkg/registry/core/node/strategy.go). Unlike other kinds a node is created with its status (the
// node agent registers itself that way), so create keeps it; updates of the main resource keep the old one.
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy, keepField} from './define-strategy.js'
import {child, duplicate, index, invalidEach, notSupported, required, pushAll} from './field-errors.js'
import {isLabelValue, isQualifiedName, nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'

type Obj = Record<string, unknown>
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
export function defaultNode(obj: KubeObject): void {
  const status = isPlainObject(obj.status) ? obj.status : undefined
  if (status && isPlainObject(status.capacity) && status.allocatable === undefined) status.allocatable = {...status.capacity}
}

function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  ;(Array.isArray(taints) ? taints : []).forEach((raw, i) => {
    const t = (isPlainObject(raw) ? raw : {}) as Obj
    const p = index(path, i)
    const key = typeof t.key === 'string' ? t.key : ''
    pushAll(errs, invalidEach(child(p, 'key'), key, isQualifiedName(key)))
    if (typeof t.value === 'string') pushAll(errs, invalidEach(child(p, 'value'), t.value, isLabelValue(t.value)))
    const effect = typeof t.effect === 'string' ? t.effect : ''
    if (!effect) errs.push(required(child(p, 'effect')))
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(child(p, 'effect'), effect, TAINT_EFFECTS))
    const id = `${key}:${effect}`
    if (seen.has(id)) errs.push({...duplicate(p, t), detail: 'taints must be unique by key and effect pair'})
    seen.add(id)
  })
  return errs
}

export const nodeStrategy = defineStrategy({
  // Status is handled by hand below: create keeps it.
  hasStatus: false,
  applyDefaults: defaultNode,
  prepareForUpdate(obj, old) {
    keepField(obj, old, 'status')
  },
  validate(obj) {
    return [
      ...validateObjectMeta(obj.metadata, {namespaced: false, name: nameIsDNSSubdomain}),
      ...validateTaints((obj.spec as Obj | undefined)?.taints, 'spec.taints'),
    ]
  },
})
