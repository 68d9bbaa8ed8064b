// Deployments (pkg/registry/apps/deployment/strategy.go, apps/v1 defaults and validation).
// Status lives behind /status; a /status write also may not change labels (upstream resets them).
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy, keepField} from './define-strategy.js'
import {invalid, invalidEach, nonNegative, notSupported, required, forbidden, pushAll} from './field-errors.js'
import {isValidPercent, nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'
import {defaultTemplate, validateReplicatedSpec, validateSelectorImmutable} from './workload-validation.js'

type Obj = Record<string, unknown>
const asObj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined)

/** SetDefaults_Deployment plus the template's PodSpec defaults. */
export function defaultDeployment(d: KubeObject): void {
  const spec = (asObj(d.spec) ?? (d.spec = {})) as Obj
  spec.replicas ??= 1
  const strategy = (asObj(spec.strategy) ?? (spec.strategy = {})) as Obj
  strategy.type ||= 'RollingUpdate'
  if (strategy.type === 'RollingUpdate') {
    const rolling = (asObj(strategy.rollingUpdate) ?? (strategy.rollingUpdate = {})) as Obj
    rolling.maxUnavailable ??= '25%'
    rolling.maxSurge ??= '25%'
  }
  spec.revisionHistoryLimit ??= 10
  spec.progressDeadlineSeconds ??= 600
  defaultTemplate(spec)
}

/** An int-or-string as a number: `25%` → 25, 3 → 3 (getIntOrPercentValue). */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number(v.slice(0, -1))
  return 0
}

function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return invalidEach(path, v, isValidPercent(v))
  if (typeof v === 'number') return nonNegative(v, path)
  return [invalid(path, v ?? null, "must be an integer or percentage (e.g '5%%')")]
}

function validateStrategy(strategy: Obj | undefined): FieldError[] {
  const s = strategy ?? {}
  const path = 'spec.strategy'
  if (s.type === 'Recreate')
    return s.rollingUpdate ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : []
  if (s.type !== 'RollingUpdate') return [notSupported(path, s, ['Recreate', 'RollingUpdate'])]
  const rolling = asObj(s.rollingUpdate)
  if (!rolling) return [required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')]
  const errs = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`),
    ...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.rollingUpdate.maxSurge`),
  ]
  if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0)
    errs.push(invalid(`${path}.rollingUpdate.maxUnavailable`, rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'))
  if (typeof rolling.maxUnavailable === 'string' && intOrPercentValue(rolling.maxUnavailable) > 100)
    errs.push(invalid(`${path}.rollingUpdate.maxUnavailable`, rolling.maxUnavailable, 'must not be greater than 100%'))
  return errs
}

export function validateDeploymentSpec(spec: Obj): FieldError[] {
  const errs = [...validateReplicatedSpec(spec), ...validateStrategy(asObj(spec.strategy))]
  pushAll(errs, nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'))
  const deadline = spec.progressDeadlineSeconds
  if (typeof deadline === 'number') {
    pushAll(errs, nonNegative(deadline, 'spec.progressDeadlineSeconds'))
    if (deadline <= (typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0))
      errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'))
  }
  return errs
}

export const deploymentStrategy = defineStrategy({
  hasStatus: true,
  applyDefaults: defaultDeployment,
  prepareForCreate(obj) {
    obj.status = {}
  },
  prepareForStatusUpdate(obj, old) {
    keepField(obj.metadata as Obj, old.metadata as Obj, 'labels')
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, {namespaced: true, name: nameIsDNSSubdomain}), ...validateDeploymentSpec(asObj(obj.spec) ?? {})]
  },
  validateUpdate: validateSelectorImmutable,
})
