// Pods (pkg/registry/core/pod/strategy.go): defaults, status reset to Pending with the QoS class on
// create, status kept on update, spec kept on /status, and the pod update rules.
import type {Container, Pod, PodSpec} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../../api/types.js'
import {defineStrategy, keepField} from './define-strategy.js'
import {nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'
import {defaultPodOnlyFields, defaultPodSpec, mountServiceAccountToken} from './pod-defaults.js'
import {validatePodSpecUpdate} from './pod-update-validation.js'
import {validatePodSpec} from './pod-validation.js'
import {addQuantities, compareQuantities, tryParseQuantity, type Quantity} from './quantity.js'

const QOS_RESOURCES = ['cpu', 'memory']

/** qos.GetPodQOS over containers and init containers (cpu and memory only). */
export function podQOSClass(spec: PodSpec | undefined): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, Quantity>()
  const limits = new Map<string, Quantity>()
  let guaranteed = true
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => into.set(name, into.has(name) ? addQuantities(into.get(name)!, q) : q)
  const containers: Container[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]
  for (const c of containers) {
    for (const [name, value] of Object.entries(c.resources?.requests ?? {})) {
      const q = tryParseQuantity(value)
      if (QOS_RESOURCES.includes(name) && q && q.nano !== 0n) add(requests, name, q)
    }
    const found = new Set<string>()
    for (const [name, value] of Object.entries(c.resources?.limits ?? {})) {
      const q = tryParseQuantity(value)
      if (QOS_RESOURCES.includes(name) && q && q.nano !== 0n) {
        found.add(name)
        add(limits, name, q)
      }
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name)
      if (!lim || compareQuantities(lim, req) !== 0) guaranteed = false
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}

const specOf = (obj: KubeObject) => (obj as unknown as Pod).spec

export const podStrategy = defineStrategy({
  hasStatus: true,
  applyDefaults(obj) {
    obj.spec ??= {}
    const spec = specOf(obj)!
    defaultPodSpec(spec)
    defaultPodOnlyFields(spec)
  },
  async prepareForCreate(obj, ctx) {
    obj.status = {phase: 'Pending', qosClass: podQOSClass(specOf(obj))}
    // Admission runs on create only: an update must not grow a volume (pod specs are mostly immutable).
    // The pod's own automountServiceAccountToken wins; unset, its ServiceAccount's decides.
    const spec = specOf(obj)!
    if (spec.automountServiceAccountToken === undefined && ctx.serviceAccount) {
      const account = await ctx.serviceAccount(obj.metadata.namespace ?? 'default', spec.serviceAccountName || 'default')
      if ((account as {automountServiceAccountToken?: boolean} | undefined)?.automountServiceAccountToken === false) return
    }
    mountServiceAccountToken(spec, obj.metadata.annotations as Record<string, string> | undefined)
  },
  prepareForStatusUpdate(obj, old) {
    // Old kubelets corrupt ownerReferences through /status, so upstream never takes them from there.
    const meta = obj.metadata as Record<string, unknown>
    keepField(meta, old.metadata as Record<string, unknown>, 'ownerReferences')
    // The QoS class is fixed at creation; backfill it when a status writer dropped it.
    const status = (obj.status ??= {}) as Record<string, unknown>
    status.qosClass ||= (old.status as Record<string, unknown> | undefined)?.qosClass
    if (status.qosClass === undefined) delete status.qosClass
  },
  validate(obj) {
    return [
      ...validateObjectMeta(obj.metadata, {namespaced: true, name: nameIsDNSSubdomain}),
      ...validatePodSpec(obj.spec, 'spec'),
    ]
  },
  validateUpdate(obj, old) {
    return validatePodSpecUpdate(obj.spec, old.spec)
  },
})
