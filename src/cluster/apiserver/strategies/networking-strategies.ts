// networking.k8s.io/v1 Ingress and IngressClass: a subset of pkg/apis/networking/validation (the rules a
// user meets first: path types, backends naming a service with a port xor a resource, rules or a
// default backend, TLS secret names, the class's controller). Ingress has a status subresource.
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {INGRESS_CLASS_ANNOTATION} from '../../network/ingress/ingress-class.js'
import {defineStrategy} from './define-strategy.js'
import {child, immutable, index, invalid, invalidEach, notSupported, required, pushAll} from './field-errors.js'
import {isDNS1123Label, isValidPortNum, nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {})
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : [])
const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix']

function validateBackend(backend: Obj, path: string): FieldError[] {
  const errs: FieldError[] = []
  const service = backend.service === undefined ? undefined : obj(backend.service)
  const resource = backend.resource === undefined ? undefined : obj(backend.resource)
  if (service && resource) errs.push(invalid(path, '', 'cannot set both service and resource backends'))
  if (!service && !resource) errs.push(invalid(path, '', 'resource or service backend is required'))
  if (service) {
    const sp = child(path, 'service')
    if (!str(service.name)) errs.push(required(child(sp, 'name')))
    const port = obj(service.port)
    const hasName = str(port.name) !== ''
    const hasNumber = port.number !== undefined && port.number !== 0
    if (hasName && hasNumber) errs.push(invalid(child(sp, 'port'), port, 'cannot specify both port name and port number'))
    else if (hasName) pushAll(errs, invalidEach(child(sp, 'port', 'name'), port.name, isDNS1123Label(str(port.name))))
    else if (hasNumber) pushAll(errs, invalidEach(child(sp, 'port', 'number'), port.number, isValidPortNum(port.number)))
    else errs.push(required(child(sp, 'port'), 'port name or number is required'))
  }
  if (resource && (!str(resource.kind) || !str(resource.name))) errs.push(required(child(path, 'resource'), 'kind and name are required'))
  return errs
}

function validateIngress(o: KubeObject): FieldError[] {
  const errs = validateObjectMeta(o.metadata, {namespaced: true, name: nameIsDNSSubdomain})
  const spec = obj(o.spec)
  const rules = list(spec.rules)
  if (rules.length === 0 && spec.defaultBackend === undefined) errs.push(invalid('spec', spec, 'either `defaultBackend` or `rules` must be specified'))
  if (spec.defaultBackend !== undefined) pushAll(errs, validateBackend(obj(spec.defaultBackend), 'spec.defaultBackend'))
  rules.forEach((rule, i) => {
    const rp = index('spec.rules', i)
    list(obj(rule.http).paths).forEach((p, j) => {
      const pp = index(child(rp, 'http', 'paths'), j)
      const pathType = str(p.pathType)
      if (!pathType) errs.push(required(child(pp, 'pathType'), 'pathType must be specified'))
      else if (!PATH_TYPES.includes(pathType)) errs.push(notSupported(child(pp, 'pathType'), pathType, PATH_TYPES))
      if (p.path !== undefined && !str(p.path).startsWith('/')) errs.push(invalid(child(pp, 'path'), p.path, 'must be an absolute path'))
      pushAll(errs, validateBackend(obj(p.backend), child(pp, 'backend')))
    })
  })
  return errs
}

function validateIngressClass(o: KubeObject): FieldError[] {
  const errs = validateObjectMeta(o.metadata, {namespaced: false, name: nameIsDNSSubdomain})
  if (!str(obj(o.spec).controller)) errs.push(required('spec.controller'))
  return errs
}

export const ingressStrategy = defineStrategy({
  hasStatus: true,
  validate: validateIngress,
  // The DefaultIngressClass admission plugin: an Ingress created without a class (field or the old
  // annotation) gets the default class, so the default controller serves it and kubectl shows it.
  async prepareForCreate(o, ctx) {
    const spec = obj(o.spec)
    if (str(spec.ingressClassName) || o.metadata.annotations?.[INGRESS_CLASS_ANNOTATION]) return
    const name = await ctx.defaultIngressClass?.()
    if (name) o.spec = {...spec, ingressClassName: name}
  },
})

export const ingressClassStrategy = defineStrategy({
  hasStatus: false,
  validate: validateIngressClass,
  validateUpdate: (next, old) => immutable(obj(next.spec).controller, obj(old.spec).controller, 'spec.controller'),
})
