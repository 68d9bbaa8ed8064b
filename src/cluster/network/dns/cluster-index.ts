// The cluster snapshot indexed for answering: Services by namespace/name, each Service's ready
// endpoints with their DNS labels resolved, and addresses to the names PTR answers carry.
import {canonicalName} from './dns-name.js'
import type {ClusterDnsSnapshot, DnsService} from './dns-snapshot.js'
import {canonicalIp} from './ip-bytes.js'

/** A port as CoreDNS holds it: protocol and name lowercased for matching; -1 marks a port-less endpoint. */
export interface IndexedPort {
  name: string
  protocol: string
  port: number
}

export interface IndexedEndpoint {
  ip: string
  /** The endpoint's hostname, or its address with dashes for dots and colons (CoreDNS's fallback). */
  label: string
  ports: IndexedPort[]
}

export interface ClusterIndex {
  zone: string
  namespaces: ReadonlySet<string>
  services: ReadonlyMap<string, DnsService>
  endpoints: ReadonlyMap<string, readonly IndexedEndpoint[]>
  /** Canonical address -> PTR targets: a ClusterIP's Service name, else every endpoint name using it. */
  reverse: ReadonlyMap<string, readonly string[]>
}

/** The key Services and endpoints are filed under; DNS names compare case-insensitively. */
export function serviceKey(namespace: string, name: string): string {
  return `${canonicalName(namespace)}/${canonicalName(name)}`
}

export function indexSnapshot(snapshot: ClusterDnsSnapshot, zone: string): ClusterIndex {
  const namespaces = new Set(snapshot.namespaces.map(canonicalName))
  const services = new Map<string, DnsService>()
  for (const svc of snapshot.services) services.set(serviceKey(svc.namespace, svc.name), svc)
  // A pod whose subdomain names the Service lends its hostname to an endpoint that lacks one, as the
  // endpoints controller would have done.
  const podHostnames = new Map<string, {hostname: string; subdomain: string}>()
  for (const pod of snapshot.pods) {
    if (pod.hostname && pod.subdomain) podHostnames.set(serviceKey(pod.namespace, pod.name), {hostname: pod.hostname, subdomain: pod.subdomain})
  }
  const endpoints = new Map<string, IndexedEndpoint[]>()
  const endpointNames = new Map<string, string[]>()
  for (const set of snapshot.endpoints) {
    const key = serviceKey(set.namespace, set.service)
    const svc = services.get(key)
    if (!svc) continue
    const ports: IndexedPort[] = set.ports.length === 0
      ? [{name: '', protocol: '', port: -1}]
      : set.ports.map((p) => ({name: canonicalName(p.name ?? ''), protocol: p.protocol.toLowerCase(), port: p.port}))
    const list = endpoints.get(key) ?? []
    for (const address of set.addresses) {
      const ip = canonicalIp(address.ip)
      if (!ip) continue
      const pod = address.podName ? podHostnames.get(serviceKey(set.namespace, address.podName)) : undefined
      const fromPod = pod && canonicalName(pod.subdomain) === canonicalName(svc.name) ? pod.hostname : undefined
      const label = canonicalName(address.hostname ?? fromPod ?? ip.replace(/[.:]/g, '-'))
      list.push({ip, label, ports})
      const names = endpointNames.get(ip) ?? []
      const name = `${label}.${canonicalName(svc.name)}.${canonicalName(svc.namespace)}.svc.${zone}`
      if (!names.includes(name)) names.push(name)
      endpointNames.set(ip, names)
    }
    endpoints.set(key, list)
  }
  const reverse = new Map<string, string[]>(endpointNames)
  for (const svc of snapshot.services) {
    for (const raw of svc.clusterIPs) {
      const ip = canonicalIp(raw)
      if (ip) reverse.set(ip, [`${canonicalName(svc.name)}.${canonicalName(svc.namespace)}.svc.${zone}`])
    }
  }
  return {zone, namespaces, services, endpoints, reverse}
}
