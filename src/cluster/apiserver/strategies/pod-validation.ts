// ValidatePodSpec (pkg/apis/core/validation) for pods and for the pod templates of workloads: volumes,
// containers, policies, tolerations and the small scalar fields, with the real paths and messages.
import type {FieldError} from '../../api/errors.js'
import {isPlainObject} from '../../api/types.js'
import {validateContainerList} from './container-validation.js'
import {child, duplicate, forbidden, index, invalid, invalidEach, notSupported, required, pushAll} from './field-errors.js'
import {inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isLabelValue, isQualifiedName} from './name-rules.js'
import {validateAnnotations, validateLabels} from './object-meta-validation.js'
import {volumeSourcesOf} from './pod-defaults.js'

type Obj = Record<string, unknown>
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map((x) => (isPlainObject(x) ? x : {})) : [])
const obj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined)
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never']
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive'
const MAX_INT32 = 2147483647

export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const s = obj(spec) ?? {}
  const errs: FieldError[] = []
  const {volumes, errors: volumeErrors} = validateVolumes(s.volumes, child(path, 'volumes'))
  pushAll(errs, volumeErrors)
  const names = new Set<string>()
  pushAll(errs, validateContainerList(s.containers, child(path, 'containers'), volumes, names, false))
  pushAll(errs, validateContainerList(s.initContainers, child(path, 'initContainers'), volumes, names, true))
  pushAll(errs, validateEnum(s.restartPolicy, child(path, 'restartPolicy'), RESTART_POLICIES))
  pushAll(errs, validateEnum(s.dnsPolicy, child(path, 'dnsPolicy'), DNS_POLICIES))
  pushAll(errs, validateLabels(obj(s.nodeSelector), child(path, 'nodeSelector')))
  for (const [field, value] of [['serviceAccountName', s.serviceAccountName], ['nodeName', s.nodeName], ['priorityClassName', s.priorityClassName]] as const)
    if (str(value)) pushAll(errs, invalidEach(child(path, field), value, isDNS1123Subdomain(str(value))))
  for (const field of ['hostname', 'subdomain'] as const)
    if (str(s[field])) pushAll(errs, invalidEach(child(path, field), s[field], isDNS1123Label(str(s[field]))))
  if (typeof s.activeDeadlineSeconds === 'number' && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32))
    errs.push(invalid(child(path, 'activeDeadlineSeconds'), s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)))
  if (Array.isArray(s.tolerations)) pushAll(errs, validateTolerations(s.tolerations, child(path, 'tolerations')))
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== 'PreemptLowerPriority' && s.preemptionPolicy !== 'Never')
    errs.push(notSupported(child(path, 'preemptionPolicy'), s.preemptionPolicy, ['Never', 'PreemptLowerPriority']))
  return errs
}

/** ValidatePodTemplateSpec: template labels/annotations sit directly under the template path. */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  const t = obj(template) ?? {}
  const meta = obj(t.metadata) ?? {}
  const errs: FieldError[] = [
    ...validateLabels(obj(meta.labels), child(path, 'labels')),
    ...validateAnnotations(obj(meta.annotations), child(path, 'annotations')),
    ...validatePodSpec(t.spec, child(path, 'spec')),
  ]
  if (list(obj(t.spec)?.ephemeralContainers).length > 0)
    errs.push(forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'))
  return errs
}

function validateEnum(value: unknown, path: string, allowed: readonly string[]): FieldError[] {
  if (value === undefined || value === '') return [required(path)]
  return allowed.includes(str(value)) ? [] : [notSupported(path, value, allowed)]
}

// Invalid volumes are left out of the returned name set, so mounts of them are reported too (as upstream).
function validateVolumes(volumes: unknown, path: string): {volumes: Set<string>; errors: FieldError[]} {
  const names = new Set<string>()
  const errors: FieldError[] = []
  list(volumes).forEach((v, i) => {
    const p = index(path, i)
    const el: FieldError[] = [...validateVolumeSource(v, p)]
    const name = str(v.name)
    if (!name) el.push(required(child(p, 'name')))
    else pushAll(el, invalidEach(child(p, 'name'), name, isDNS1123Label(name)))
    if (names.has(name)) el.push(duplicate(child(p, 'name'), name))
    if (el.length === 0) names.add(name)
    pushAll(errors, el)
  })
  return {volumes: names, errors}
}

function validateVolumeSource(v: Obj, path: string): FieldError[] {
  const sources = volumeSourcesOf(v)
  if (sources.length === 0) return [required(path, 'must specify a volume type')]
  const errs: FieldError[] = sources.slice(1).map((s) => forbidden(child(path, s), 'may not specify more than 1 volume type'))
  const source = obj(v[sources[0]]) ?? {}
  const sp = child(path, sources[0])
  const requiredName: Record<string, string> = {configMap: 'name', secret: 'secretName', persistentVolumeClaim: 'claimName', hostPath: 'path'}
  const field = requiredName[sources[0]]
  if (field && !str(source[field])) errs.push(required(child(sp, field)))
  if (typeof source.defaultMode === 'number' && (source.defaultMode < 0 || source.defaultMode > 0o777))
    errs.push(invalid(child(sp, 'defaultMode'), source.defaultMode, FILE_MODE_ERROR))
  return errs
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = []
  list(tolerations).forEach((t, i) => {
    const p = index(path, i)
    const k = str(t.key)
    if (k) pushAll(errs, invalidEach(child(p, 'key'), k, isQualifiedName(k)))
    const operator = str(t.operator)
    if (!k && operator !== 'Exists')
      errs.push(invalid(child(p, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute')
      errs.push(invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"))
    if (operator === '' || operator === 'Equal') {
      pushAll(errs, invalidEach(child(p, 'value'), str(t.value), isLabelValue(str(t.value))))
    } else if (operator === 'Exists') {
      if (str(t.value)) errs.push(invalid(child(p, 'operator'), t.value, 'value must be empty when `operator` is \'Exists\''))
    } else {
      errs.push(notSupported(child(p, 'operator'), operator, ['Equal', 'Exists']))
    }
    if (str(t.effect) && !TAINT_EFFECTS.includes(str(t.effect))) errs.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS))
  })
  return errs
}
