// What a name under the cluster zone stands for, following CoreDNS's kubernetes plugin (parse.go,
// kubernetes.go findServices/findPods): `[_port._proto.|endpoint.]service.namespace.svc.<zone>` and
// `a-b-c-d.namespace.pod.<zone>`. The result is either "no such name" (NXDOMAIN) or the targets the name
// covers, possibly none (NODATA); the record type asked for picks among the targets afterwards.
import {isIP} from 'node:net'
import {serviceKey, type ClusterIndex} from './cluster-index.js'
import {canonicalIp} from './ip-bytes.js'

export interface NameTarget {
  /** An address, or for an ExternalName Service the name it aliases. */
  host: string
  isAlias: boolean
  /** The port an SRV answer carries; -1 for endpoints of a Service without ports. */
  port: number
  /** The name SRV answers point at: the Service's, or the endpoint's under a headless Service. */
  domain: string
}

export type NameResolution = {exists: false} | {exists: true; targets: NameTarget[]}

const NXDOMAIN: NameResolution = {exists: false}
const EMPTY: NameResolution = {exists: true, targets: []}

/** Resolves the labels left of the zone (`labels` lowercased, outermost last). */
export function resolveClusterName(index: ClusterIndex, labels: readonly string[]): NameResolution {
  if (labels.length === 0) return EMPTY
  const kind = labels[labels.length - 1]
  if (kind !== 'svc' && kind !== 'pod') return NXDOMAIN
  if (labels.length === 1) return EMPTY
  if (labels.length > 5 || !index.namespaces.has(labels[labels.length - 2]!)) return NXDOMAIN
  if (labels.length === 2) return EMPTY
  return kind === 'pod' ? resolvePod(index, labels) : resolveService(index, labels)
}

// `pods insecure`: any address written with dashes resolves to itself, in any existing namespace.
// CoreDNS ignores labels left of the address; this answers NXDOMAIN for them instead.
function resolvePod(index: ClusterIndex, labels: readonly string[]): NameResolution {
  if (labels.length !== 3) return NXDOMAIN
  const [label, namespace] = labels as [string, string]
  const text = (label.split('-').length === 4 && !label.includes('--')) ? label.replaceAll('-', '.') : label.replaceAll('-', ':')
  const ip = isIP(text) ? canonicalIp(text) : undefined
  if (!ip) return NXDOMAIN
  return {exists: true, targets: [{host: ip, isAlias: false, port: -1, domain: `${label}.${namespace}.pod.${index.zone}`}]}
}

function resolveService(index: ClusterIndex, labels: readonly string[]): NameResolution {
  const n = labels.length
  const [namespace, name] = [labels[n - 2]!, labels[n - 3]!]
  const endpoint = n === 4 ? labels[0]! : ''
  const port = n === 5 ? stripUnderscore(labels[0]!) : ''
  const protocol = n === 5 ? stripUnderscore(labels[1]!) : ''
  const key = serviceKey(namespace, name)
  const svc = index.services.get(key)
  if (!svc) return NXDOMAIN
  const base = `${name}.${namespace}.svc.${index.zone}`
  if (svc.type === 'ExternalName') {
    const target = svc.externalName?.replace(/\.$/, '')
    // CoreDNS only aliases names: an ExternalName holding an address, or an endpoint label, has no record.
    if (endpoint || !target || isIP(target)) return NXDOMAIN
    return {exists: true, targets: [{host: target, isAlias: true, port: -1, domain: base}]}
  }
  const matches = (p: {name: string; protocol: string}): boolean =>
    (port === '' || p.name === port) && (protocol === '' || p.protocol === protocol)
  const targets: NameTarget[] = []
  if (svc.headless || endpoint) {
    for (const ep of index.endpoints.get(key) ?? []) {
      if (endpoint && ep.label !== endpoint) continue
      for (const p of ep.ports) {
        if (matches(p)) targets.push({host: ep.ip, isAlias: false, port: p.port, domain: `${ep.label}.${base}`})
      }
    }
  } else {
    for (const p of svc.ports) {
      if (!matches({name: (p.name ?? '').toLowerCase(), protocol: p.protocol.toLowerCase()})) continue
      for (const raw of svc.clusterIPs) {
        const ip = canonicalIp(raw)
        if (ip) targets.push({host: ip, isAlias: false, port: p.port, domain: base})
      }
    }
  }
  // No matching port or no ready endpoint: the name does not exist (a headless Service without ready
  // endpoints is NXDOMAIN by the specification).
  return targets.length > 0 ? {exists: true, targets} : NXDOMAIN
}

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label
}
