// ReplicaSets (pkg/registry/apps/replicaset/strategy.go, apps/v1 defaults and validation).
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy} from './define-strategy.js'
import {nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'
import {defaultTemplate, validateReplicatedSpec, validateSelectorImmutable} from './workload-validation.js'

type Obj = Record<string, unknown>

export function defaultReplicaSet(rs: KubeObject): void {
  const spec = (isPlainObject(rs.spec) ? rs.spec : (rs.spec = {})) as Obj
  spec.replicas ??= 1
  defaultTemplate(spec)
}

export const replicaSetStrategy = defineStrategy({
  hasStatus: true,
  applyDefaults: defaultReplicaSet,
  prepareForCreate(obj) {
    // ReplicaSetStatus.replicas has no omitempty, so a new ReplicaSet shows `replicas: 0`.
    obj.status = {replicas: 0}
  },
  validate(obj) {
    const spec = (isPlainObject(obj.spec) ? obj.spec : {}) as Obj
    return [...validateObjectMeta(obj.metadata, {namespaced: true, name: nameIsDNSSubdomain}), ...validateReplicatedSpec(spec)]
  },
  validateUpdate: validateSelectorImmutable,
})
