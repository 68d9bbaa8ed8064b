// The contract between the control plane and kcluster-net, the in-network proxy container
// (docs/networking.md): the control plane computes the whole desired state from its informer caches
// and sends it over one TCP connection to the container's control port; the container makes it so
// (holds the addresses, opens/updates/closes the proxies, answers DNS from the snapshot) and reports
// what it could not do. Newline-delimited JSON, one message per line. The first line the control
// plane sends is the token the container was started with: pods share the network, and must not be
// able to reprogram it.
import type {ClusterDnsSnapshot} from './dns/dns-snapshot.js'
import type {ProxyTableEntry} from './proxy/proxy-table.js'

/** The port kcluster-net listens on for the control plane, on its own (pod-range) address. */
export const NET_CONTROL_PORT = 7946

/** The upstream for names outside the cluster: Docker's embedded resolver, present in every container on a user-defined network. */
export const DOCKER_EMBEDDED_DNS = {host: '127.0.0.11', port: 53}

export interface NetState {
  /** Every ClusterIP to hold on eth0 (kcluster-addr add), the DNS address included. */
  addresses: string[]
  /** One entry per Service port with a ClusterIP, except the cluster DNS Service, which kcluster-net answers itself. */
  proxies: ProxyTableEntry[]
  dns: {
    /** The cluster DNS Service's ClusterIP: the DNS server listens there on port 53, UDP and TCP. */
    listen: string
    zone: string
    snapshot: ClusterDnsSnapshot
  }
}

/** control plane → kcluster-net */
export type NetCommand = {token: string} | {state: NetState; generation: number}

/** kcluster-net → control plane, after each state: what failed (a port that could not be bound, an address the kernel refused). */
export interface NetReport {
  generation: number
  failures: Array<{key: string; message: string}>
}
