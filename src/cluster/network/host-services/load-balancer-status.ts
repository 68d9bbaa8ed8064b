// The status a LoadBalancer Service should show, decided as the cloud-provider service controller
// decides it: an ingress address once the load balancer works, none while it does not, and cleared
// when the Service stops being one. Here "works" means every load balancer port listens on the host:
// a Service whose port 80 could not be bound keeps `<pending>` rather than advertising an address that
// answers on some ports only (the Warning event says which port and why).
import type {LoadBalancerIngress, LoadBalancerStatus, Service} from 'kubernetes-types/core/v1.js'
import type {ProxyListenError} from '../proxy/listen-error.js'
import {servesLoadBalancer, type HostEntry} from './host-entries.js'

/**
 * The Service's `status.loadBalancer` as it should be, or undefined when it is not ours to write (a
 * Service of another load balancer class, or one that never had our address).
 * `listening(key)` says whether the host listener of that entry is bound.
 */
export function desiredLoadBalancerStatus(
  svc: Service,
  entries: readonly HostEntry[],
  listening: (key: string) => boolean,
  listenHost: string,
): LoadBalancerStatus | undefined {
  if (servesLoadBalancer(svc)) {
    const ports = entries.filter((e) => e.role === 'LoadBalancer')
    const ready = ports.length > 0 && ports.every((e) => listening(e.key))
    return ready ? {ingress: [{ip: listenHost, ipMode: 'VIP'}]} : {}
  }
  // No longer a load balancer we serve (type changed): withdraw the address we advertised, as the
  // cloud controller does after deleting the load balancer. Addresses others wrote stay.
  const ingress = svc.status?.loadBalancer?.ingress ?? []
  if (ingress.length > 0 && ingress.every((i) => isOurs(i, listenHost))) return {}
  return undefined
}

function isOurs(ingress: LoadBalancerIngress, listenHost: string): boolean {
  return ingress.ip === listenHost && !ingress.hostname
}

/** Whether writing `desired` would change what the Service shows (an empty ingress list is none). */
export function loadBalancerStatusDiffers(current: LoadBalancerStatus | undefined, desired: LoadBalancerStatus): boolean {
  return JSON.stringify(normalize(current)) !== JSON.stringify(normalize(desired))
}

function normalize(status: LoadBalancerStatus | undefined): unknown {
  const ingress = status?.ingress ?? []
  return ingress.map((i) => ({ip: i.ip ?? '', hostname: i.hostname ?? '', ipMode: i.ipMode ?? '', ports: i.ports ?? []}))
}

/** True when the status advertises an address (what `kubectl get svc` shows as EXTERNAL-IP). */
export function hasIngress(status: LoadBalancerStatus | undefined): boolean {
  return (status?.ingress?.length ?? 0) > 0
}

/** The Warning event's message for a port that could not be bound: what failed and what would fix it. */
export function listenFailureMessage(entry: Pick<HostEntry, 'role' | 'portName'>, error: ProxyListenError): string {
  const what = entry.role === 'LoadBalancer' ? `Error syncing load balancer: port ${entry.portName}: ` : `NodePort of port ${entry.portName} not reachable from the host: `
  return `${what}${error.message}${hintFor(error)}; retrying`
}

function hintFor(error: ProxyListenError): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return ' (another process or Service on this host holds the port)'
    case 'EACCES':
      return error.address.port < 1024
        ? ' (ports below 1024 need root or CAP_NET_BIND_SERVICE; use a port of 1024 or more, or lower net.ipv4.ip_unprivileged_port_start)'
        : ''
    default:
      return ''
  }
}
