// Service and Endpoints tables (printService, printEndpoints in printers.go). The server renders
// with Wide=true, so the External-IP cell is never shortened.
import type {EndpointPort, Endpoints, Service, ServicePort} from 'kubernetes-types/core/v1.js'
import {ageColumn, column, formatLabels, nameColumn, since, wide} from './format.js'
import type {TablePrinter} from './table.js'

/** loadBalancerStatusStringer: ingress IPs (or hostnames), de-duplicated. */
function loadBalancerIngress(svc: Service): string[] {
  const seen = new Set<string>()
  for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
    if (ingress.ip) seen.add(ingress.ip)
    else if (ingress.hostname) seen.add(ingress.hostname)
  }
  return [...seen]
}

/** getServiceExternalIP: `<none>` without external IPs, `<pending>` for a LoadBalancer not yet provisioned. */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? []
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>'
    case 'LoadBalancer': {
      const ingress = loadBalancerIngress(svc)
      if (externalIPs.length) return [...ingress, ...externalIPs].join(',')
      return ingress.length ? ingress.join(',') : '<pending>'
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? ''
    default:
      return '<unknown>'
  }
}

/** makePortString: `80/TCP`, or `80:30080/TCP` when a node port is allocated. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  const text = (ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? 'TCP'
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`
    })
    .join(',')
  return text || '<none>'
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    wide(column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.')),
  ],
  cells(obj, now) {
    const svc = obj as Service
    // Objects written before clusterIPs existed only carry clusterIP.
    const clusterIP = svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP ?? '<none>'
    return [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? 'ClusterIP',
      clusterIP || '<none>',
      serviceExternalIP(svc),
      servicePorts(svc.spec?.ports),
      since(svc.metadata?.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ]
  },
}

const MAX_ENDPOINTS = 3

/** formatEndpoints: up to three `ip:port` pairs, then `+ N more...`. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? []
  if (subsets.length === 0) return '<none>'
  const list: string[] = []
  let total = 0
  const push = (entry: string): void => {
    if (list.length < MAX_ENDPOINTS) list.push(entry)
  }
  for (const ss of subsets) {
    const addresses = ss.addresses ?? []
    const ports: Array<EndpointPort | undefined> = ss.ports?.length ? ss.ports : [undefined]
    for (const port of ports) {
      total += addresses.length
      for (const a of addresses) push(port ? joinHostPort(a.ip, port.port) : a.ip)
    }
  }
  const text = list.join(',')
  return total > MAX_ENDPOINTS ? `${text} + ${total - MAX_ENDPOINTS} more...` : text
}

/** net.JoinHostPort: IPv6 hosts are bracketed. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

export const endpointsPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const ep = obj as Endpoints
    return [ep.metadata?.name ?? '', formatEndpoints(ep), since(ep.metadata?.creationTimestamp, now)]
  },
}
