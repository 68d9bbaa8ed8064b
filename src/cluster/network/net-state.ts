// What kcluster-net must hold, computed from the control plane's caches (docs/networking.md): every
// ClusterIP as an address, a proxy per Service port (to its ready endpoints, from EndpointSlices),
// and the DNS snapshot. The cluster DNS Service is answered by kcluster-net itself, so it gets an
// address and no proxy; the `kubernetes` Service's slice (written at start) leads to the API server on the bridge.
import type {Namespace, Pod, Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {dnsSnapshotFromObjects} from './dns/dns-snapshot.js'
import type {NetState} from './net-protocol.js'
import {affinityOf} from './proxy/endpoint-picker.js'
import type {ProxyTableEntry} from './proxy/proxy-table.js'
import {servicePortEndpoints} from './proxy/slice-endpoints.js'

export const CLUSTER_ZONE = 'cluster.local'
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

export interface NetObjects {
  namespaces: readonly Namespace[]
  services: readonly Service[]
  endpointSlices: readonly EndpointSlice[]
  pods: readonly Pod[]
}

export interface NetAddresses {
  /** The cluster DNS Service's ClusterIP. */
  dnsIP: string
}

export function netState(objects: NetObjects, addresses: NetAddresses): NetState {
  const slicesByService = new Map<string, EndpointSlice[]>()
  for (const slice of objects.endpointSlices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL]
    if (!service) continue
    const key = `${slice.metadata?.namespace}/${service}`
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), slice])
  }
  const held = new Set<string>([addresses.dnsIP])
  const proxies: ProxyTableEntry[] = []
  for (const svc of objects.services) {
    const ips = (svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])).filter((ip) => ip && ip !== 'None' && !ip.includes(':'))
    if (ips.length === 0 || svc.spec?.type === 'ExternalName') continue
    for (const ip of ips) held.add(ip)
    if (ips.includes(addresses.dnsIP)) continue
    const id = `${svc.metadata?.namespace}/${svc.metadata?.name}`
    for (const port of svc.spec?.ports ?? []) {
      const protocol = port.protocol ?? 'TCP'
      if (protocol !== 'TCP' && protocol !== 'UDP') continue
      const endpoints = servicePortEndpoints(slicesByService.get(id) ?? [], port)
      for (const ip of ips) {
        proxies.push({key: `${id}:${ip}:${port.port}/${protocol}`, host: ip, port: port.port, protocol, endpoints, affinity: affinityOf(svc)})
      }
    }
  }
  // Only pods that name a hostname and subdomain add DNS records beyond what their Service's slices say.
  const pods = objects.pods.filter((p) => p.spec?.hostname && p.spec?.subdomain)
  const namespaces = objects.namespaces.map((n) => n.metadata?.name ?? '').filter(Boolean)
  const snapshot = dnsSnapshotFromObjects({namespaces, services: objects.services, endpointSlices: objects.endpointSlices, pods})
  return {addresses: [...held].sort(), proxies, dns: {listen: addresses.dnsIP, zone: CLUSTER_ZONE, snapshot}}
}
