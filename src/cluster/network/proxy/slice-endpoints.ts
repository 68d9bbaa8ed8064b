// The endpoints of one Service port, read from the Service's EndpointSlices as kube-proxy reads them
// (pkg/proxy/endpointslicecache.go and topology.go CategorizeEndpoints). The EndpointSlice controller
// has already resolved named targetPorts per pod: each slice port carries the Service port's name and
// the number it resolved to, so matching by name and protocol is all that is left to do here.
import type {ServicePort} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {endpointKey, type ProxyEndpoint} from './endpoint-picker.js'

export interface SliceEndpointsOptions {
  /** The slices' address type to use; the cluster is IPv4-only today. */
  addressType?: 'IPv4' | 'IPv6'
}

interface Candidate {
  endpoint: ProxyEndpoint
  ready: boolean
  servingTerminating: boolean
}

/**
 * The endpoints a proxy should send new connections for `port` to: the ready ones; when none is ready,
 * the serving-but-terminating ones (kube-proxy's fallback so rolling updates do not drop traffic); else
 * none. A nil `ready`/`serving` condition counts as true and a nil `terminating` as false, as kube-proxy
 * reads them. Addresses listed in more than one slice appear once, in slice order.
 */
export function servicePortEndpoints(
  slices: readonly EndpointSlice[],
  port: Pick<ServicePort, 'name' | 'protocol'>,
  options: SliceEndpointsOptions = {},
): ProxyEndpoint[] {
  const addressType = options.addressType ?? 'IPv4'
  const name = port.name ?? ''
  const protocol = port.protocol ?? 'TCP'
  const seen = new Map<string, Candidate>()
  for (const slice of slices) {
    if (slice.addressType !== addressType) continue
    const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol)
    if (slicePort?.port === undefined || slicePort.port === null) continue
    for (const e of slice.endpoints ?? []) {
      const ready = e.conditions?.ready ?? true
      const serving = e.conditions?.serving ?? true
      const terminating = e.conditions?.terminating ?? false
      for (const ip of e.addresses ?? []) {
        const candidate: Candidate = {endpoint: {ip, port: slicePort.port}, ready, servingTerminating: serving && terminating}
        const key = endpointKey(candidate.endpoint)
        const known = seen.get(key)
        // A pod moving between slices can be listed twice for a moment; the readier entry wins.
        if (!known || (!known.ready && ready)) seen.set(key, candidate)
      }
    }
  }
  const all = [...seen.values()]
  const ready = all.filter((c) => c.ready)
  const chosen = ready.length > 0 ? ready : all.filter((c) => c.servingTerminating)
  return chosen.map((c) => c.endpoint)
}
