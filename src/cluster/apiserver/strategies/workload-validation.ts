// What Deployments and ReplicaSets share (pkg/apis/apps/validation): the selector rules and the pod
// template that must match it and must restart Always.
import type {PodSpec} from 'kubernetes-types/core/v1.js'
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {child, forbidden, immutable, invalid, nonNegative, notSupported, required, pushAll} from './field-errors.js'
import {defaultPodSpec} from './pod-defaults.js'
import {validatePodTemplateSpec} from './pod-validation.js'
import {isEmptySelectorSpec, selectorMatches, selectorUnparsable, validateLabelSelector, type SelectorSpec} from './selector-rules.js'

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined)

/** PodSpec defaults inside spec.template (templates get no pod-only or admission defaults). */
export function defaultTemplate(spec: Obj): void {
  const template = (obj(spec.template) ?? (spec.template = {})) as Obj
  template.spec = obj(template.spec) ?? {}
  defaultPodSpec(template.spec as PodSpec)
}

/** spec.replicas, spec.selector and spec.template, as ValidateReplicaSetSpec/ValidateDeploymentSpec check them. */
export function validateReplicatedSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds')]
  const selector = obj(spec.selector) as SelectorSpec | undefined
  if (!selector) {
    errs.push(required('spec.selector'))
  } else {
    pushAll(errs, validateLabelSelector(selector, 'spec.selector'))
    // Upstream says "deployment" here for ReplicaSets too.
    if (isEmptySelectorSpec(selector)) errs.push(invalid('spec.selector', selector, 'empty selector is invalid for deployment'))
  }
  if (selector && selectorUnparsable(selector)) {
    errs.push(invalid('spec.selector', selector, 'invalid label selector'))
    return errs
  }
  pushAll(errs, validateTemplateForSelector(spec.template, selector, 'spec.template'))
  return errs
}

function validateTemplateForSelector(template: unknown, selector: SelectorSpec | undefined, path: string): FieldError[] {
  const t = obj(template)
  if (!t) return [required(path)]
  const errs: FieldError[] = []
  const labels = obj(obj(t.metadata)?.labels) as Record<string, string> | undefined
  // A nil selector is LabelSelectorAsSelector's "nothing": not empty, and it matches no template.
  if (!(selector && isEmptySelectorSpec(selector)) && !selectorMatches(selector, labels))
    errs.push(invalid(child(path, 'metadata', 'labels'), labels ?? {}, '`selector` does not match template `labels`'))
  pushAll(errs, validatePodTemplateSpec(t, path))
  const podSpec = obj(t.spec) ?? {}
  if (podSpec.restartPolicy !== 'Always')
    errs.push(notSupported(child(path, 'spec', 'restartPolicy'), podSpec.restartPolicy ?? '', ['Always']))
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null)
    // Deployments share this check upstream, message included.
    errs.push(forbidden(child(path, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'))
  return errs
}

/** apps/v1 refuses selector changes (the strategies' ValidateUpdate). */
export function validateSelectorImmutable(obj: KubeObject, old: KubeObject): FieldError[] {
  const selector = (o: KubeObject) => (o.spec as Obj | undefined)?.selector
  return immutable(selector(obj), selector(old), 'spec.selector')
}
