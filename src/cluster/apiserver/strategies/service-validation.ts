// ValidateService / ValidateServiceUpdate (pkg/apis/core/validation) for the fields kcluster serves:
// type, ports, cluster IPs, node ports, traffic policies and session affinity.
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {validatePortNumOrName} from './container-validation.js'
import {child, duplicate, forbidden, index, invalid, invalidEach, notSupported, required, pushAll} from './field-errors.js'
import {isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortNum} from './name-rules.js'
import {validateLabels} from './object-meta-validation.js'

type Obj = Record<string, unknown>
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map((x) => (isPlainObject(x) ? x : {})) : [])
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
export const NODE_PORT_MIN = 30000
export const NODE_PORT_MAX = 32767

export const isHeadless = (spec: Obj) => spec.clusterIP === 'None'
export const needsNodePorts = (spec: Obj) => spec.type === 'NodePort' || spec.type === 'LoadBalancer'
/** ExternallyAccessible: node ports, load balancers, or a ClusterIP service with external IPs. */
const externallyAccessible = (spec: Obj) => needsNodePorts(spec) || (spec.type === 'ClusterIP' && list(spec.externalIPs).length > 0)

export function validateServiceSpec(specIn: unknown): FieldError[] {
  const spec = (isPlainObject(specIn) ? specIn : {}) as Obj
  const errs: FieldError[] = []
  const ports = list(spec.ports)
  const type = str(spec.type)
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') errs.push(required('spec.ports'))
  const clusterIPs = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as unknown[]).map(str) : []
  if (type === 'ExternalName') {
    if (clusterIPs.length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'))
    if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'))
    if (spec.ipFamilyPolicy !== undefined) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'))
    const cname = str(spec.externalName).replace(/\.$/, '')
    if (cname) pushAll(errs, invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname)))
    else errs.push(required('spec.externalName'))
  } else if (needsNodePorts(spec) && clusterIPs[0] === 'None') {
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`))
  }
  pushAll(errs, validateClusterIPs(spec, clusterIPs))
  const names = new Set<string>()
  ports.forEach((p, i) => pushAll(errs, validateServicePort(p, ports.length > 1, names, index('spec.ports', i))))
  if (spec.selector) pushAll(errs, validateLabels(spec.selector as Obj, 'spec.selector'))
  const affinity = str(spec.sessionAffinity)
  if (!affinity) errs.push(required('spec.sessionAffinity'))
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']))
  if (!type) errs.push(required('spec.type'))
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES))
  pushAll(errs, validateNodePorts(spec, ports))
  pushAll(errs, validateTrafficPolicies(spec))
  return errs
}

function validateClusterIPs(spec: Obj, clusterIPs: string[]): FieldError[] {
  const errs: FieldError[] = []
  const clusterIP = str(spec.clusterIP)
  if (clusterIP && clusterIPs.length > 0 && clusterIPs[0] !== clusterIP)
    errs.push(invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'))
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0 || clusterIPs.length > 1) errs.push(invalid(index('spec.clusterIPs', i), ip, "'None' must be the first and only value"))
    } else if (isValidIP(ip).length > 0) {
      errs.push(invalid(index('spec.clusterIPs', i), ip, "must be empty, 'None', or a valid IP address"))
    }
  })
  return errs
}

function validateServicePort(p: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = []
  const name = str(p.name)
  if (requireName && !name) errs.push(required(child(path, 'name')))
  else if (name) {
    pushAll(errs, invalidEach(child(path, 'name'), name, isDNS1123Label(name)))
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name))
    else names.add(name)
  }
  pushAll(errs, invalidEach(child(path, 'port'), p.port ?? 0, isValidPortNum(p.port)))
  const protocol = str(p.protocol)
  if (!protocol) errs.push(required(child(path, 'protocol')))
  else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(child(path, 'protocol'), protocol, PROTOCOLS))
  pushAll(errs, validatePortNumOrName(p.targetPort, child(path, 'targetPort')))
  return errs
}

function validateNodePorts(spec: Obj, ports: Obj[]): FieldError[] {
  const errs: FieldError[] = []
  const seenNodePorts = new Set<string>()
  const seenPorts = new Set<string>()
  ports.forEach((p, i) => {
    const path = index('spec.ports', i)
    const nodePort = p.nodePort
    if (nodePort !== undefined && nodePort !== 0) {
      if (spec.type === 'ClusterIP') errs.push(forbidden(child(path, 'nodePort'), "may not be used when `type` is 'ClusterIP'"))
      else if (typeof nodePort !== 'number' || nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX)
        // The real server reports this from its allocator, with this text.
        errs.push(invalid(child(path, 'nodePort'), nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`))
      const k = `${str(p.protocol)}/${String(nodePort)}`
      if (seenNodePorts.has(k)) errs.push(duplicate(child(path, 'nodePort'), nodePort))
      seenNodePorts.add(k)
    }
    const portKey = `${str(p.protocol)}/${String(p.port)}`
    if (seenPorts.has(portKey)) errs.push(duplicate(path, {port: p.port, protocol: p.protocol}))
    seenPorts.add(portKey)
  })
  return errs
}

function validateTrafficPolicies(spec: Obj): FieldError[] {
  const errs: FieldError[] = []
  const external = spec.externalTrafficPolicy
  if (!externallyAccessible(spec)) {
    if (external) errs.push(invalid('spec.externalTrafficPolicy', external, 'may only be set for externally-accessible services'))
  } else if (!external) {
    errs.push(required('spec.externalTrafficPolicy'))
  } else if (external !== 'Cluster' && external !== 'Local') {
    errs.push(notSupported('spec.externalTrafficPolicy', external, ['Cluster', 'Local']))
  }
  if (spec.type !== 'ExternalName') {
    const internal = spec.internalTrafficPolicy
    if (!internal) errs.push(required('spec.internalTrafficPolicy'))
    else if (internal !== 'Cluster' && internal !== 'Local') errs.push(notSupported('spec.internalTrafficPolicy', internal, ['Cluster', 'Local']))
  }
  return errs
}

/** validateUpgradeDowngradeClusterIPs: allocated cluster IPs never change (except to/from ExternalName). */
export function validateServiceUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Obj
  const oldSpec = (old.spec ?? {}) as Obj
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return []
  if (isHeadless(spec) && isHeadless(oldSpec)) return []
  const next = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : []
  const prev = Array.isArray(oldSpec.clusterIPs) ? (oldSpec.clusterIPs as string[]) : []
  if (prev.length > 0 && next.length === 0) return [invalid('spec.clusterIPs[0]', next, 'primary clusterIP can not be unset')]
  const errs: FieldError[] = []
  for (let i = 0; i < Math.min(prev.length, next.length); i++)
    if (prev[i] !== next[i]) errs.push(invalid(index('spec.clusterIPs', i), next, 'may not change once set'))
  return errs
}
