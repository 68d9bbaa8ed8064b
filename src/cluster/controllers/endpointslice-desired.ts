// What one EndpointSlice holds, as k8s.io/endpointslice's utils.go builds it: endpoints from pods
// (podToEndpoint), ports resolved per pod (getEndpointPorts), the labels mirrored from the Service
// (setEndpointSliceLabels) and a new slice owned by its Service (newEndpointSlice).
import type {Node, Pod, Service} from 'kubernetes-types/core/v1.js'
import type {Endpoint, EndpointPort, EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {HEADLESS_LABEL, findPort, isPodReady, isServiceIPSet, podIPsOfType, shouldSetHostname} from './service-endpoints.js'

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
export const SLICE_MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
export const SLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
const ZONE_LABEL = 'topology.kubernetes.io/zone'

export type AddressType = 'IPv4' | 'IPv6'

/** getAddressTypesForService: the Service's IP families; without them the cluster IP's, or both when headless. */
export function addressTypesOf(svc: Service): AddressType[] {
  const families = (svc.spec?.ipFamilies ?? []).filter((f): f is AddressType => f === 'IPv4' || f === 'IPv6')
  if (families.length > 0) return [...new Set(families)]
  if (isServiceIPSet(svc)) return [svc.spec!.clusterIP!.includes(':') ? 'IPv6' : 'IPv4']
  return ['IPv4', 'IPv6']
}

/** podToEndpoint. `ready` is never true for a terminating pod unless the Service publishes not-ready addresses. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod)
  const terminating = Boolean(pod.metadata?.deletionTimestamp)
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating)
  const endpoint: Endpoint = {
    addresses: podIPsOfType(pod, addressType),
    conditions: {ready, serving, terminating},
    targetRef: {kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid},
  }
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName
  const zone = node?.metadata?.labels?.[ZONE_LABEL]
  if (zone) endpoint.zone = zone
  if (shouldSetHostname(pod, svc)) endpoint.hostname = pod.spec!.hostname
  return endpoint
}

/** getEndpointPorts: every service port the pod has, named `""` when the service port has no name. */
export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const ports = svc.spec?.ports ?? []
  if (ports.length === 0 && svc.spec?.clusterIP === 'None') return []
  const out: EndpointPort[] = []
  for (const port of ports) {
    const number = findPort(pod, port)
    if (number === undefined) continue
    out.push({name: port.name ?? '', port: number, protocol: port.protocol ?? 'TCP', ...(port.appProtocol ? {appProtocol: port.appProtocol} : {})})
  }
  return out
}

/** NewPortMapKey: slices are grouped by their exact set of ports, whatever the order. */
export function portMapKey(ports: readonly EndpointPort[] | null | undefined): string {
  return JSON.stringify((ports ?? []).map((p) => JSON.stringify([p.name ?? '', p.port ?? null, p.protocol ?? '', p.appProtocol ?? ''])).sort())
}

/** hashEndpoint: an endpoint's identity (addresses, hostname, target); the rest may change in place. */
export function endpointKey(e: Endpoint): string {
  return JSON.stringify([[...e.addresses].sort(), e.hostname ?? '', e.targetRef?.namespace ?? '', e.targetRef?.name ?? ''])
}

/** EndpointsEqualBeyondHash: the same endpoint in every field, the target's resourceVersion aside. */
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  const canon = (e: Endpoint) =>
    JSON.stringify([
      e.conditions?.ready ?? null,
      e.conditions?.serving ?? null,
      e.conditions?.terminating ?? null,
      e.nodeName ?? null,
      e.zone ?? null,
      e.hints ?? null,
      e.targetRef?.kind ?? null,
      e.targetRef?.uid ?? null,
    ])
  return canon(a) === canon(b)
}

const RESERVED = new Set([SERVICE_NAME_LABEL, SLICE_MANAGED_BY_LABEL, HEADLESS_LABEL])

/**
 * setEndpointSliceLabels: the Service's labels (reserved keys aside), the headless label when it has
 * no cluster IP, and the service-name and managed-by labels. `changed` compares the mirrored part only.
 */
export function sliceLabels(slice: EndpointSlice | undefined, svc: Service): {labels: Record<string, string>; changed: boolean} {
  const mirrored = (labels: Record<string, string> | undefined) => Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !RESERVED.has(k)))
  const fromSlice = mirrored(slice?.metadata?.labels)
  const labels = mirrored(svc.metadata?.labels)
  const changed = JSON.stringify(Object.entries(fromSlice).sort()) !== JSON.stringify(Object.entries(labels).sort())
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = ''
  labels[SERVICE_NAME_LABEL] = svc.metadata!.name!
  labels[SLICE_MANAGED_BY_LABEL] = SLICE_CONTROLLER_NAME
  return {labels, changed}
}

/** newEndpointSlice: generateName `<service>-` (the bare name when that is too long), owned by the Service. */
export function newEndpointSlice(svc: Service, ports: EndpointPort[], addressType: AddressType): EndpointSlice {
  const name = svc.metadata!.name!
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: name.length + 1 > 253 ? name : `${name}-`,
      namespace: svc.metadata!.namespace,
      labels: sliceLabels(undefined, svc).labels,
      ownerReferences: [{apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true}],
    },
    addressType,
    endpoints: [],
    ports,
  }
}

/** ownedBy: the slice names this very Service (same uid) as an owner. */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata?.ownerReferences ?? []).some((o) => o.uid === svc.metadata?.uid && o.kind === 'Service' && o.apiVersion === 'v1')
}
