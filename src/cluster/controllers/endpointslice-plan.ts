// Which EndpointSlices to create, update and delete so that a Service's slices hold exactly its pods:
// k8s.io/endpointslice's reconciler.go (Reconcile, reconcileByAddressType, reconcileByPortMapping,
// finalize) as a pure function. Pods are grouped by the ports they resolve to (one group of slices
// per distinct port set), at most maxEndpointsPerSlice endpoints a slice, changing as few slices as
// possible; a Service without endpoints keeps one empty placeholder slice.
import type {Node, Pod, Service} from 'kubernetes-types/core/v1.js'
import type {Endpoint, EndpointPort, EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {cloneJson} from '../api/types.js'
import {
  addressTypesOf,
  endpointKey,
  endpointPorts,
  newEndpointSlice,
  ownedBy,
  podToEndpoint,
  portMapKey,
  sameEndpoint,
  sliceLabels,
  type AddressType,
} from './endpointslice-desired.js'
import {shouldPodBeInEndpoints, TRIGGER_TIME_ANNOTATION} from './service-endpoints.js'

export const MAX_ENDPOINTS_PER_SLICE = 100

export interface SlicePlanInput {
  service: Service
  pods: Pod[]
  /** This controller's slices labelled with the Service's name, none of them being deleted. */
  existing: EndpointSlice[]
  /** The nodes the pods name (absent ones are missing). */
  nodes: ReadonlyMap<string, Node>
  triggerTime?: string
  maxEndpointsPerSlice?: number
}

export interface SlicePlan {
  create: EndpointSlice[]
  update: EndpointSlice[]
  delete: EndpointSlice[]
  /** Pods left out because their node does not exist; the real controller retries such Services. */
  skippedPods: string[]
}

export function planEndpointSlices(input: SlicePlanInput): SlicePlan {
  const {service: svc} = input
  const plan: SlicePlan = {create: [], update: [], delete: [], skippedPods: []}
  const types = addressTypesOf(svc)
  const byType = new Map<string, EndpointSlice[]>()
  const unsupported: EndpointSlice[] = []
  for (const slice of input.existing) {
    if (types.includes(slice.addressType as AddressType)) byType.set(slice.addressType, [...(byType.get(slice.addressType) ?? []), slice])
    else unsupported.push(slice)
  }
  for (const type of types) {
    const part = planAddressType(input, byType.get(type) ?? [], type, plan.skippedPods)
    plan.create.push(...part.create)
    plan.update.push(...part.update)
    plan.delete.push(...part.delete)
  }
  plan.delete.push(...unsupported)
  // No new slices for a Service being deleted: the garbage collector would race the replacements.
  if (svc.metadata?.deletionTimestamp) plan.create = []
  for (const slice of [...plan.create, ...plan.update]) {
    const annotations = {...slice.metadata?.annotations}
    if (input.triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = input.triggerTime
    else delete annotations[TRIGGER_TIME_ANNOTATION]
    slice.metadata = {...slice.metadata, annotations}
  }
  return plan
}

function planAddressType(input: SlicePlanInput, existing: EndpointSlice[], type: AddressType, skipped: string[]) {
  const {service: svc, nodes} = input
  const max = input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE
  const toDelete: EndpointSlice[] = []
  const existingByPorts = new Map<string, EndpointSlice[]>()
  for (const slice of existing) {
    if (!ownedBy(slice, svc)) toDelete.push(slice)
    else existingByPorts.set(portMapKey(slice.ports), [...(existingByPorts.get(portMapKey(slice.ports)) ?? []), slice])
  }
  const desiredByPorts = new Map<string, {ports: EndpointPort[]; endpoints: Map<string, Endpoint>}>()
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue
    const ports = endpointPorts(svc, pod)
    const key = portMapKey(ports)
    const group = desiredByPorts.get(key) ?? {ports, endpoints: new Map<string, Endpoint>()}
    desiredByPorts.set(key, group)
    const node = nodes.get(pod.spec?.nodeName ?? '')
    // A pod on a node that does not exist is left out (and retried), unless the Service publishes
    // not-ready addresses: then the user asked for it explicitly.
    if (!node && svc.spec?.publishNotReadyAddresses !== true) {
      skipped.push(`${pod.metadata?.namespace}/${pod.metadata?.name}`)
      continue
    }
    const endpoint = podToEndpoint(pod, node, svc, type)
    if (endpoint.addresses.length > 0) group.endpoints.set(endpointKey(endpoint), endpoint)
  }

  const create: EndpointSlice[] = []
  const update: EndpointSlice[] = []
  for (const [key, desired] of desiredByPorts) {
    const part = planPortMapping(svc, existingByPorts.get(key) ?? [], desired.endpoints, desired.ports, type, max)
    create.push(...part.create)
    update.push(...part.update)
    toDelete.push(...part.delete)
  }
  for (const [key, slices] of existingByPorts) if (!desiredByPorts.has(key)) toDelete.push(...slices)

  if (existing.length === toDelete.length && create.length === 0) {
    const placeholder = newEndpointSlice(svc, [], type)
    if (toDelete.length === 1 && isSamePlaceholder(toDelete[0], placeholder)) toDelete.length = 0
    else create.push(placeholder)
  }
  // finalize: rather than create one slice and delete another, reuse the one being deleted.
  for (let i = 0; i < toDelete.length && create.length > 0; ) {
    const old = toDelete[i]
    const slice = create[create.length - 1]
    if (old.addressType === slice.addressType && ownedBy(old, svc)) {
      create.pop()
      update.push({...cloneJson(old), metadata: {...cloneJson(old.metadata), labels: slice.metadata!.labels, ownerReferences: slice.metadata!.ownerReferences}, endpoints: slice.endpoints, ports: slice.ports})
      toDelete.splice(i, 1)
    } else i++
  }
  return {create, update, delete: toDelete}
}

/** reconcileByPortMapping for one port set. `desired` is consumed. */
function planPortMapping(svc: Service, existing: EndpointSlice[], desired: Map<string, Endpoint>, ports: EndpointPort[], type: AddressType, max: number) {
  const byName = new Map<string, EndpointSlice>()
  const unchanged = new Set<string>()
  const toUpdate = new Set<string>()
  const toDelete = new Set<string>()
  // 1. Keep the desired endpoints existing slices already hold (updated in place), drop the others.
  for (const slice of existing) {
    const name = slice.metadata!.name!
    byName.set(name, slice)
    const had = slice.endpoints ?? []
    const kept: Endpoint[] = []
    let changed = false
    for (const endpoint of had) {
      const key = endpointKey(endpoint)
      const want = desired.get(key)
      if (!want) continue
      kept.push(want)
      if (!sameEndpoint(want, endpoint)) changed = true
      desired.delete(key)
    }
    const {labels, changed: labelsChanged} = sliceLabels(slice, svc)
    if (changed || kept.length !== had.length) {
      if (kept.length === 0) toDelete.add(name)
      else {
        byName.set(name, {...cloneJson(slice), metadata: {...cloneJson(slice.metadata), labels}, endpoints: kept})
        toUpdate.add(name)
      }
    } else if (labelsChanged) {
      byName.set(name, {...cloneJson(slice), metadata: {...cloneJson(slice.metadata), labels}})
      toUpdate.add(name)
    } else unchanged.add(name)
  }
  const take = (slice: EndpointSlice) => {
    const endpoints = [...(slice.endpoints ?? [])]
    for (const [key, endpoint] of desired) {
      if (endpoints.length >= max) break
      endpoints.push(endpoint)
      desired.delete(key)
    }
    slice.endpoints = endpoints
  }
  // 2. Fill the slices being updated anyway, fullest first.
  if (desired.size > 0) for (const slice of [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => size(b) - size(a))) take(slice)
  // 3. Put what is left in an unchanged slice with room for all of it, or in new slices.
  const create: EndpointSlice[] = []
  while (desired.size > 0) {
    let fill = desired.size < max ? sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, max) : undefined
    if (fill) {
      fill = cloneJson(fill)
      byName.set(fill.metadata!.name!, fill)
      unchanged.delete(fill.metadata!.name!)
      toUpdate.add(fill.metadata!.name!)
    } else {
      fill = newEndpointSlice(svc, ports, type)
      create.push(fill)
    }
    take(fill)
  }
  return {create, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!)}
}

const size = (slice: EndpointSlice) => slice.endpoints?.length ?? 0

/** getSliceToFill: the slice closest to full once `count` endpoints are added to it. */
function sliceToFill(slices: EndpointSlice[], count: number, max: number): EndpointSlice | undefined {
  let closest: EndpointSlice | undefined
  let closestDiff = max
  for (const slice of slices) {
    const diff = max - (count + size(slice))
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff
      closest = slice
      if (diff === 0) break
    }
  }
  return closest
}

/** placeholderSliceCompare: an empty slice with the same namespace, labels, owners and address type. */
function isSamePlaceholder(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  const labels = (s: EndpointSlice) => JSON.stringify(Object.entries(s.metadata?.labels ?? {}).sort())
  const owners = (s: EndpointSlice) => JSON.stringify((s.metadata?.ownerReferences ?? []).map((o) => [o.apiVersion, o.kind, o.name, o.uid, o.controller ?? null, o.blockOwnerDeletion ?? null]))
  return (
    slice.metadata?.namespace === placeholder.metadata?.namespace &&
    labels(slice) === labels(placeholder) &&
    owners(slice) === owners(placeholder) &&
    slice.addressType === placeholder.addressType &&
    size(slice) === 0 &&
    (slice.ports ?? []).length === 0
  )
}
