// Where a cluster's addresses come from (docs/networking.md "Addresses"): pod IPs from one range,
// ClusterIPs from another, with the `kubernetes` Service at the first address of the Service range
// and the cluster DNS Service at the tenth. A Docker cluster splits its network's /16 in two halves,
// so that ClusterIPs live on the same bridge as pods; the simulated runtime keeps Kubernetes' usual
// defaults (nothing routes there: simulated pods have no network).
import {Cidr} from './cidr.js'

export interface ClusterAddressing {
  podCIDR: string
  serviceCIDR: string
  /** The host's own address on the pod network (the bridge's gateway): where pods reach the API server. */
  hostAddress?: string
}

export const SIMULATED_ADDRESSING: ClusterAddressing = {podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16'}

/** The `kubernetes` Service's ClusterIP. */
export function kubernetesServiceIP(serviceCIDR: string): string {
  return Cidr.parse(serviceCIDR).nth(1)
}

/** The cluster DNS Service's ClusterIP (kube-dns in kube-system), as in kubeadm's default `.10`. */
export function clusterDnsIP(serviceCIDR: string): string {
  return Cidr.parse(serviceCIDR).nth(10)
}

/** Offsets below this are kept for the fixed addresses above: automatic allocation starts here, as the real allocator prefers the upper band. */
export const FIRST_DYNAMIC_SERVICE_OFFSET = 16

/** A network range split into the pod half (handed out by the runtime) and the Service half. */
export function splitNetwork(subnet: string): ClusterAddressing {
  const [pods, services] = Cidr.parse(subnet).halves()
  return {podCIDR: pods.toString(), serviceCIDR: services.toString()}
}

/** The network a Service range was split from, to ask for the same network again. */
export function networkOfServiceCIDR(serviceCIDR: string): string {
  const services = Cidr.parse(serviceCIDR)
  return Cidr.parse(`${services.nth(0)}/${services.prefix - 1}`).toString()
}
