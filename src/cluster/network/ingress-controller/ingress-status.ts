// What the controller writes to status.loadBalancer of the Ingresses it serves, and when. ingress-nginx
// writes only the address; kcluster adds the listener ports when they are not 80/443, so `kubectl get
// ingress -o yaml` tells a user on 8080/8443 where to connect.
import type {Ingress, IngressLoadBalancerIngress, IngressLoadBalancerStatus} from 'kubernetes-types/networking/v1.js'
import {jsonEqual} from '../../api/json-equal.js'

/** Where the ingress listeners are. */
export interface IngressAddress {
  ip: string
  httpPort: number
  httpsPort: number
}

export const STANDARD_HTTP_PORT = 80
export const STANDARD_HTTPS_PORT = 443

/** status.loadBalancer of a served Ingress. */
export function desiredLoadBalancer(address: IngressAddress): IngressLoadBalancerStatus {
  const entry: IngressLoadBalancerIngress = {ip: address.ip}
  if (address.httpPort !== STANDARD_HTTP_PORT || address.httpsPort !== STANDARD_HTTPS_PORT) {
    entry.ports = [
      {port: address.httpPort, protocol: 'TCP'},
      {port: address.httpsPort, protocol: 'TCP'},
    ]
  }
  return {ingress: [entry]}
}

/**
 * The status.loadBalancer to write to `ingress`, or undefined when it is right already.
 * - served: our address;
 * - not served (another class, or no longer claimed) but still showing our address: cleared, so an
 *   Ingress moved to another class does not keep advertising listeners that no longer route it;
 * - not served and showing something else: left to whoever wrote it.
 */
export function loadBalancerUpdate(ingress: Ingress, served: boolean, address: IngressAddress): IngressLoadBalancerStatus | undefined {
  const current = ingress.status?.loadBalancer ?? {}
  const ours = desiredLoadBalancer(address)
  if (served) return jsonEqual(normalized(current), ours) ? undefined : ours
  return jsonEqual(normalized(current), ours) ? {} : undefined
}

// An empty list and a missing one mean the same; so do `ports: []` and no ports.
function normalized(status: IngressLoadBalancerStatus): IngressLoadBalancerStatus {
  const ingress = (status.ingress ?? []).map((entry) => {
    const copy: IngressLoadBalancerIngress = {...entry}
    if (copy.ports?.length === 0) delete copy.ports
    return copy
  })
  return ingress.length > 0 ? {ingress} : {}
}
