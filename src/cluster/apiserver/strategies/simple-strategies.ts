// Kinds with little beyond metadata: ServiceAccount, Endpoints, Event (legacy core/v1 rules), Lease.
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy} from './define-strategy.js'
import {child, index, invalid, invalidEach, notSupported, required, pushAll} from './field-errors.js'
import {isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortNum, nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'

type Obj = Record<string, unknown>
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map((x) => (isPlainObject(x) ? x : {})) : [])
const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const META_RULES = {namespaced: true, name: nameIsDNSSubdomain}
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']

export const serviceAccountStrategy = defineStrategy({
  hasStatus: false,
  validate: (obj) => validateObjectMeta(obj.metadata, META_RULES),
})

export function defaultEndpoints(obj: KubeObject): void {
  for (const subset of list(obj.subsets)) for (const port of list(subset.ports)) port.protocol ||= 'TCP'
}

// Addresses are checked for IP syntax only: upstream also refuses loopback and link-local IPs, which
// kcluster's own control plane (listening on 127.0.0.1) would trip over.
function validateEndpoints(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, META_RULES)
  list(obj.subsets).forEach((subset, i) => {
    const p = index('subsets', i)
    const addresses = list(subset.addresses)
    const notReady = list(subset.notReadyAddresses)
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'))
    for (const [field, items] of [['addresses', addresses], ['notReadyAddresses', notReady]] as const) {
      items.forEach((a, j) => {
        const ap = index(child(p, field), j)
        pushAll(errs, invalidEach(child(ap, 'ip'), str(a.ip), isValidIP(str(a.ip))))
        if (str(a.hostname)) pushAll(errs, invalidEach(child(ap, 'hostname'), a.hostname, isDNS1123Label(str(a.hostname))))
        if (str(a.nodeName)) pushAll(errs, invalidEach(child(ap, 'nodeName'), a.nodeName, isDNS1123Subdomain(str(a.nodeName))))
      })
    }
    const ports = list(subset.ports)
    ports.forEach((port, j) => {
      const pp = index(child(p, 'ports'), j)
      const name = str(port.name)
      if (ports.length > 1 && !name) errs.push(required(child(pp, 'name')))
      else if (name) pushAll(errs, invalidEach(child(pp, 'name'), name, isDNS1123Label(name)))
      pushAll(errs, invalidEach(child(pp, 'port'), port.port ?? 0, isValidPortNum(port.port)))
      const protocol = str(port.protocol)
      if (!protocol) errs.push(required(child(pp, 'protocol')))
      else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(child(pp, 'protocol'), protocol, PROTOCOLS))
    })
  })
  return errs
}

export const endpointsStrategy = defineStrategy({
  hasStatus: false,
  applyDefaults: defaultEndpoints,
  validate: validateEndpoints,
})

// core/v1 Events get only the legacy checks upstream (no ObjectMeta validation), so names such as
// `web.17a3f0c2d1e4b5a6` from any client are accepted; only a missing name is refused.
function validateEvent(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  if (!obj.metadata.name) errs.push(required('metadata.name', 'name or generateName is required'))
  const namespace = obj.metadata.namespace ?? ''
  const involved = str((obj.involvedObject as Obj | undefined)?.namespace)
  const mismatch = 'does not match event.namespace'
  if (!obj.eventTime) {
    if (involved ? namespace !== involved : namespace !== '' && namespace !== 'default')
      errs.push(invalid('involvedObject.namespace', involved, mismatch))
  } else {
    if (!involved && namespace !== 'default' && namespace !== 'kube-system') errs.push(invalid('involvedObject.namespace', involved, mismatch))
    if (!str(obj.reportingComponent)) errs.push(required('reportingComponent'))
    if (!str(obj.reportingInstance)) errs.push(required('reportingInstance'))
    if (!str(obj.action)) errs.push(required('action'))
    if (!str(obj.reason)) errs.push(required('reason'))
  }
  pushAll(errs, invalidEach('namespace', namespace, isDNS1123Subdomain(namespace)))
  return errs
}

export const eventStrategy = defineStrategy({hasStatus: false, validate: validateEvent})

function validateLease(obj: KubeObject): FieldError[] {
  const spec = (isPlainObject(obj.spec) ? obj.spec : {}) as Obj
  const errs = validateObjectMeta(obj.metadata, META_RULES)
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0)
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'))
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0)
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'))
  return errs
}

export const leaseStrategy = defineStrategy({hasStatus: false, validate: validateLease})
