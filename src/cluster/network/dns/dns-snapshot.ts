// What cluster DNS needs to know, as plain data: the control plane computes it from its informer caches
// and hands (or streams) it to the DNS server, which holds no Kubernetes client of its own.
import type {Pod, Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'

export interface DnsServicePort {
  /** Only named ports get SRV records of their own. */
  name?: string
  port: number
  protocol: 'TCP' | 'UDP' | 'SCTP'
}

export interface DnsService {
  namespace: string
  name: string
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  /** Empty for headless and ExternalName Services. */
  clusterIPs: string[]
  /** `clusterIP: None`: names resolve to the ready endpoints instead of a ClusterIP. */
  headless: boolean
  externalName?: string
  ports: DnsServicePort[]
}

export interface DnsEndpointAddress {
  ip: string
  /** The endpoint's DNS label (a pod's `hostname` when its `subdomain` names the Service). */
  hostname?: string
  /** The pod behind the address, used to find a hostname the endpoint itself lacks. */
  podName?: string
}

/** Ready addresses of one Service with the ports they serve (one EndpointSlice's worth, or more). */
export interface DnsEndpointSet {
  namespace: string
  service: string
  addresses: DnsEndpointAddress[]
  /** Endpoint ports: the numbers pods listen on, which SRV answers for headless Services carry. */
  ports: DnsServicePort[]
}

export interface DnsPod {
  namespace: string
  name: string
  ips: string[]
  hostname?: string
  subdomain?: string
}

export interface ClusterDnsSnapshot {
  /** Existing namespaces: a name under one that exists is NODATA rather than NXDOMAIN, as in CoreDNS. */
  namespaces: string[]
  services: DnsService[]
  endpoints: DnsEndpointSet[]
  pods: DnsPod[]
}

export interface ClusterDnsObjects {
  namespaces: readonly string[]
  services: readonly Service[]
  endpointSlices: readonly EndpointSlice[]
  pods: readonly Pod[]
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

/**
 * The snapshot for a set of API objects. An endpoint counts as ready unless its `ready` condition is
 * false (a nil condition means ready, as CoreDNS reads EndpointSlices); the EndpointSlice controller has
 * already marked every endpoint ready for Services that publish not-ready addresses.
 */
export function dnsSnapshotFromObjects(objects: ClusterDnsObjects): ClusterDnsSnapshot {
  const services = objects.services.map(serviceToDns)
  const endpoints: DnsEndpointSet[] = []
  for (const slice of objects.endpointSlices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL]
    const namespace = slice.metadata?.namespace
    if (!service || !namespace) continue
    const addresses: DnsEndpointAddress[] = []
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false) continue
      for (const ip of e.addresses ?? []) {
        addresses.push({ip, ...(e.hostname ? {hostname: e.hostname} : {}), ...(e.targetRef?.kind === 'Pod' && e.targetRef.name ? {podName: e.targetRef.name} : {})})
      }
    }
    const ports = (slice.ports ?? []).flatMap((p): DnsServicePort[] =>
      p.port === undefined || p.port === null ? [] : [{...(p.name ? {name: p.name} : {}), port: p.port, protocol: protocolOf(p.protocol)}])
    endpoints.push({namespace, service, addresses, ports})
  }
  const pods = objects.pods.flatMap((pod): DnsPod[] => {
    const {namespace, name} = pod.metadata ?? {}
    if (!namespace || !name) return []
    const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => Boolean(ip))
    if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP)
    return [{namespace, name, ips, ...(pod.spec?.hostname ? {hostname: pod.spec.hostname} : {}), ...(pod.spec?.subdomain ? {subdomain: pod.spec.subdomain} : {})}]
  })
  return {namespaces: [...objects.namespaces], services, endpoints, pods}
}

function serviceToDns(svc: Service): DnsService {
  const spec = svc.spec ?? {}
  const type = (['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const).find((t) => t === spec.type) ?? 'ClusterIP'
  const headless = type !== 'ExternalName' && spec.clusterIP === 'None'
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])
  return {
    namespace: svc.metadata?.namespace ?? 'default',
    name: svc.metadata?.name ?? '',
    type,
    clusterIPs: type === 'ExternalName' || headless ? [] : ips.filter((ip) => ip && ip !== 'None'),
    headless,
    ...(type === 'ExternalName' && spec.externalName ? {externalName: spec.externalName} : {}),
    ports: (spec.ports ?? []).map((p) => ({...(p.name ? {name: p.name} : {}), port: p.port, protocol: protocolOf(p.protocol)})),
  }
}

function protocolOf(protocol: string | undefined): DnsServicePort['protocol'] {
  return protocol === 'UDP' || protocol === 'SCTP' ? protocol : 'TCP'
}
