// discovery.k8s.io/v1 EndpointSlice: defaults (SetDefaults_EndpointPort) and ValidateEndpointSlice
// from pkg/apis/discovery/validation. Like Endpoints, addresses are checked for IP syntax only:
// upstream also refuses loopback and link-local IPs, which kcluster's own control plane would trip over.
import {isIPv4, isIPv6} from 'node:net'
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy} from './define-strategy.js'
import {child, duplicate, immutable, index, invalidEach, notSupported, required, pushAll} from './field-errors.js'
import {isDNS1123Label, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'

type Obj = Record<string, unknown>
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map((x) => (isPlainObject(x) ? x : {})) : [])
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const MAX_ENDPOINTS = 1000
const MAX_ADDRESSES = 100
const MAX_PORTS = 20000
const FQDN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

const tooMany = (field: string, max: number): FieldError => ({type: 'FieldValueTooMany', field, detail: `must have at most ${max} items`})

/** SetDefaults_EndpointPort: a port without a name is named "", without a protocol TCP. */
export function defaultEndpointSlice(obj: KubeObject): void {
  for (const port of list(obj.ports)) {
    if (port.name === undefined || port.name === null) port.name = ''
    port.protocol ||= 'TCP'
  }
}

function validateAddress(type: string, address: string, field: string): FieldError[] {
  switch (type) {
    case 'IPv4':
      return invalidEach(field, address, isIPv4(address) ? [] : ['must be a valid IPv4 address'])
    case 'IPv6':
      return invalidEach(field, address, isIPv6(address) ? [] : ['must be a valid IPv6 address'])
    case 'FQDN':
      return invalidEach(field, address, FQDN.test(address) ? [] : ['should be a domain with at least two segments separated by dots'])
    default:
      return []
  }
}

function validateEndpoints(obj: KubeObject, type: string): FieldError[] {
  const endpoints = list(obj.endpoints)
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', MAX_ENDPOINTS)]
  const errs: FieldError[] = []
  endpoints.forEach((endpoint, i) => {
    const p = index('endpoints', i)
    const addresses = Array.isArray(endpoint.addresses) ? (endpoint.addresses as unknown[]) : []
    if (addresses.length === 0) errs.push(required(child(p, 'addresses'), 'must contain at least 1 address'))
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(child(p, 'addresses'), MAX_ADDRESSES))
    addresses.forEach((a, j) => pushAll(errs, validateAddress(type, str(a), index(child(p, 'addresses'), j))))
    if (typeof endpoint.nodeName === 'string') pushAll(errs, invalidEach(child(p, 'nodeName'), endpoint.nodeName, isDNS1123Subdomain(endpoint.nodeName)))
    if (typeof endpoint.hostname === 'string') pushAll(errs, invalidEach(child(p, 'hostname'), endpoint.hostname, isDNS1123Label(endpoint.hostname)))
  })
  return errs
}

function validatePorts(obj: KubeObject): FieldError[] {
  const ports = list(obj.ports)
  if (ports.length > MAX_PORTS) return [tooMany('ports', MAX_PORTS)]
  const errs: FieldError[] = []
  const names = new Set<string>()
  ports.forEach((port, i) => {
    const p = index('ports', i)
    const name = str(port.name)
    if (name) pushAll(errs, invalidEach(child(p, 'name'), name, isDNS1123Label(name)))
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name))
    names.add(name)
    const protocol = str(port.protocol)
    if (!protocol) errs.push(required(child(p, 'protocol')))
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(child(p, 'protocol'), protocol, PROTOCOLS))
    if (typeof port.appProtocol === 'string') pushAll(errs, invalidEach(child(p, 'appProtocol'), port.appProtocol, isQualifiedName(port.appProtocol)))
  })
  return errs
}

function validateEndpointSlice(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, {namespaced: true, name: nameIsDNSSubdomain})
  const type = str(obj.addressType)
  if (!type) errs.push(required('addressType'))
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported('addressType', type, ADDRESS_TYPES))
  pushAll(errs, validateEndpoints(obj, type))
  pushAll(errs, validatePorts(obj))
  return errs
}

export const endpointSliceStrategy = defineStrategy({
  hasStatus: false,
  applyDefaults: defaultEndpointSlice,
  validate: validateEndpointSlice,
  validateUpdate: (obj, old) => immutable(obj.addressType, old.addressType, 'addressType'),
})
