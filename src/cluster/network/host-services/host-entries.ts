// What one Service listens on from the host: each port's nodePort (NodePort and LoadBalancer Services,
// as kube-proxy opens node ports on every node address; here the node is the host's loopback), and
// for LoadBalancer Services each Service port itself (what a cloud load balancer would listen on,
// with the Service's external address being 127.0.0.1). Every listener forwards to the port's ready
// endpoints from the Service's EndpointSlices.
import type {Service, ServicePort} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {affinityOf} from '../proxy/endpoint-picker.js'
import type {ProxyTableEntry} from '../proxy/proxy-table.js'
import {servicePortEndpoints} from '../proxy/slice-endpoints.js'

/** Which part of the Service a host listener stands for. */
export type HostListenerRole = 'NodePort' | 'LoadBalancer'

export interface HostEntry extends ProxyTableEntry {
  /** `namespace/name` of the Service the listener belongs to. */
  service: string
  role: HostListenerRole
  /** The Service port's name, or its number when unnamed. */
  portName: string
}

/** NodePort and LoadBalancer Services are the ones reachable from outside the cluster network. */
export function wantsHostListeners(svc: Service): boolean {
  const type = svc.spec?.type
  return type === 'NodePort' || type === 'LoadBalancer'
}

/**
 * LoadBalancer Services this host plays the cloud load balancer for: those without a
 * `loadBalancerClass`, which by the API's contract belong to whatever implementation watches that class.
 */
export function servesLoadBalancer(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass
}

export function serviceKeyOf(svc: Pick<Service, 'metadata'>): string {
  return `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`
}

/** `default/web:http/TCP@127.0.0.1:30080`: unique per Service port, role and address. */
export function hostEntryKey(service: string, portName: string, protocol: string, host: string, port: number): string {
  const where = host.includes(':') ? `[${host}]` : host
  return `${service}:${portName}/${protocol}@${where}:${port}`
}

/**
 * The host listeners of `svc`, given the EndpointSlices labelled with its name. SCTP ports are left out
 * (Node has no SCTP sockets); a LoadBalancer Service created with `allocateLoadBalancerNodePorts: false`
 * has no nodePorts and so only its load balancer ports.
 */
export function hostEntriesFor(svc: Service, slices: readonly EndpointSlice[], listenHost: string): HostEntry[] {
  if (!wantsHostListeners(svc)) return []
  const service = serviceKeyOf(svc)
  const affinity = affinityOf(svc)
  const balancer = servesLoadBalancer(svc)
  const entries: HostEntry[] = []
  for (const port of svc.spec?.ports ?? []) {
    const protocol = port.protocol ?? 'TCP'
    if (protocol !== 'TCP' && protocol !== 'UDP') continue
    const endpoints = servicePortEndpoints(slices, port)
    const portName = portNameOf(port)
    const entry = (role: HostListenerRole, listenPort: number): HostEntry => ({
      key: `${role === 'NodePort' ? 'nodeport' : 'lb'}|${hostEntryKey(service, portName, protocol, listenHost, listenPort)}`,
      host: listenHost,
      port: listenPort,
      protocol,
      endpoints,
      affinity,
      service,
      role,
      portName,
    })
    if (typeof port.nodePort === 'number' && port.nodePort > 0) entries.push(entry('NodePort', port.nodePort))
    if (balancer && typeof port.port === 'number' && port.port > 0) entries.push(entry('LoadBalancer', port.port))
  }
  return entries
}

function portNameOf(port: ServicePort): string {
  return port.name ? port.name : String(port.port)
}
