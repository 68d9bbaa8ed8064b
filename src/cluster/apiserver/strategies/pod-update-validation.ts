// ValidatePodUpdate's spec rules: a pod's spec is fixed once created except images, a shorter
// activeDeadlineSeconds, added tolerations (and tolerationSeconds), and terminationGracePeriodSeconds
// from negative to 1. Everything else is refused with the upstream message and a short diff.
import type {FieldError} from '../../api/errors.js'
import {cloneJson, isPlainObject} from '../../api/types.js'
import {child, forbidden, index, invalid, required, sameJson, pushAll} from './field-errors.js'
import {inclusiveRangeError} from './name-rules.js'
import {validateTolerations} from './pod-validation.js'

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {})
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : [])

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
]
const MAX_INT32 = 2147483647

export function validatePodSpecUpdate(newSpecIn: unknown, oldSpecIn: unknown): FieldError[] {
  const next = obj(newSpecIn)
  const old = obj(oldSpecIn)
  const errs: FieldError[] = []
  for (const kind of ['containers', 'initContainers']) {
    const path = child('spec', kind)
    const n = list(next[kind])
    if (n.length !== list(old[kind]).length) return [...errs, forbidden(path, 'pod updates may not add or remove containers')]
    n.forEach((c, i) => {
      const image = typeof c.image === 'string' ? c.image : ''
      if (!image) errs.push(required(child(index(path, i), 'image')))
      else if (image.trim() !== image) errs.push(invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'))
    })
  }
  const deadline = next.activeDeadlineSeconds
  if (typeof deadline === 'number') {
    if (deadline < 0 || deadline > MAX_INT32) return [...errs, invalid('spec.activeDeadlineSeconds', deadline, inclusiveRangeError(0, MAX_INT32))]
    if (typeof old.activeDeadlineSeconds === 'number' && old.activeDeadlineSeconds < deadline)
      return [...errs, invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value')]
  } else if (typeof old.activeDeadlineSeconds === 'number') {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'))
  }
  pushAll(errs, validateOnlyAddedTolerations(list(next.tolerations), list(old.tolerations)))
  if (sameJson(next, old)) return errs
  const munged = mungeUpdatable(next, old)
  if (!sameJson(munged, old)) {
    const diff = describeDiff(old, munged, 'spec')
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE.join(',')}\n${diff.join('\n')}`))
  }
  return errs
}

// The new spec with every updatable field put back to its old value.
function mungeUpdatable(next: Obj, old: Obj): Obj {
  const munged = cloneJson(next)
  for (const kind of ['containers', 'initContainers']) {
    const oldList = list(old[kind])
    if (Array.isArray(munged[kind])) munged[kind] = list(munged[kind]).map((c, i) => ({...c, image: oldList[i]?.image}))
  }
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds
  munged.tolerations = old.tolerations
  munged.schedulingGates = old.schedulingGates
  if (typeof old.terminationGracePeriodSeconds === 'number' && old.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds
  return munged
}

function validateOnlyAddedTolerations(next: Obj[], old: Obj[]): FieldError[] {
  for (const o of old) {
    // Matching ignores tolerationSeconds, which may change.
    const found = next.some((n) => sameJson({...o, tolerationSeconds: n.tolerationSeconds}, n))
    if (!found) return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')]
  }
  return validateTolerations(next, 'spec.tolerations')
}

/** `- spec.containers[0].ports[0].containerPort: 80` / `+ ...: 8080` lines, bounded to keep messages short. */
export function describeDiff(a: unknown, b: unknown, path: string, out: string[] = [], limit = 20): string[] {
  if (out.length >= limit || sameJson(a, b)) return out
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) describeDiff(a[k], b[k], `${path}.${k}`, out, limit)
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => describeDiff(v, b[i], `${path}[${i}]`, out, limit))
  } else {
    if (a !== undefined) out.push(`- ${path}: ${JSON.stringify(a)}`)
    if (b !== undefined) out.push(`+ ${path}: ${JSON.stringify(b)}`)
  }
  return out
}
