// The subsets of a Service's Endpoints, computed as pkg/controller/endpoint does: one address per
// pod and service port, then repacked (endpoints.RepackSubsets) so that pods offering the same ports
// with the same readiness share a subset, and truncated to 1000 addresses (over-capacity).
import type {EndpointAddress, EndpointPort, EndpointSubset, Pod, Service} from 'kubernetes-types/core/v1.js'
import {findPort, isPodReady, isServiceIPSet, podIPForService, shouldPodBeInEndpoints, shouldSetHostname} from './service-endpoints.js'

export const MAX_ENDPOINTS_CAPACITY = 1000

/** The Endpoints subsets the Service's pods call for, in canonical (repacked, sorted) form. */
export function desiredSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true
  const expanded: EndpointSubset[] = []
  const ports = svc.spec?.ports ?? []
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue
    const ip = podIPForService(svc, pod)
    if (!ip) continue
    const address = podAddress(svc, pod, ip)
    const ready = publishNotReady || isPodReady(pod)
    const subset = (p?: EndpointPort): EndpointSubset => ({...(ready ? {addresses: [address]} : {notReadyAddresses: [address]}), ...(p ? {ports: [p]} : {})})
    // Headless Services may have no ports; their pods are listed without any.
    if (ports.length === 0) {
      if (svc.spec?.clusterIP === 'None') expanded.push(subset())
      continue
    }
    for (const port of ports) {
      const number = findPort(pod, port)
      if (number === undefined) continue
      expanded.push(subset({...(port.name ? {name: port.name} : {}), port: number, protocol: port.protocol ?? 'TCP', ...(port.appProtocol ? {appProtocol: port.appProtocol} : {})}))
    }
  }
  return repackSubsets(expanded)
}

function podAddress(svc: Service, pod: Pod, ip: string): EndpointAddress {
  const address: EndpointAddress = {ip}
  if (shouldSetHostname(pod, svc)) address.hostname = pod.spec!.hostname
  address.nodeName = pod.spec?.nodeName ?? ''
  address.targetRef = {kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid}
  return address
}

const NO_PORT = '-'

/**
 * RepackSubsets: expand to (address, port) pairs (not-ready wins when an address is both), then group
 * the ports by the exact set of addresses (and readiness) offering them.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>()
  const byPort = new Map<string, {port?: EndpointPort; ready: Map<string, boolean>}>()
  const note = (a: EndpointAddress, port: EndpointPort | undefined, ready: boolean) => {
    const key = addressKey(a)
    if (!addresses.has(key)) addresses.set(key, a)
    const portKey = port ? JSON.stringify([port.name ?? '', port.port, port.protocol ?? '', port.appProtocol ?? '']) : NO_PORT
    const entry = byPort.get(portKey) ?? {port, ready: new Map<string, boolean>()}
    byPort.set(portKey, entry)
    if (entry.ready.get(key) !== false) entry.ready.set(key, ready)
  }
  for (const s of subsets) {
    const ports: Array<EndpointPort | undefined> = s.ports?.length ? s.ports : [undefined]
    for (const port of ports) {
      for (const a of s.addresses ?? []) note(a, port, true)
      for (const a of s.notReadyAddresses ?? []) note(a, port, false)
    }
  }
  const groups = new Map<string, {ready: Map<string, boolean>; ports: EndpointPort[]}>()
  for (const {port, ready} of byPort.values()) {
    const key = JSON.stringify([...ready].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    const group = groups.get(key) ?? {ready, ports: []}
    groups.set(key, group)
    if (port) group.ports.push(port)
  }
  const out: EndpointSubset[] = []
  for (const {ready, ports} of groups.values()) {
    const list = (want: boolean) => [...ready].filter(([, r]) => r === want).map(([k]) => addresses.get(k)!).sort(compareAddresses)
    const subset: EndpointSubset = {}
    const readyList = list(true)
    const notReady = list(false)
    if (readyList.length) subset.addresses = readyList
    if (notReady.length) subset.notReadyAddresses = notReady
    if (ports.length) subset.ports = ports.sort(comparePorts)
    out.push(subset)
  }
  // The real controller orders ports and subsets by a hash of their Go values; any fixed order keeps
  // an unchanged set of pods from rewriting the object, which is what the order is for.
  return out.sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)))
}

/** truncateEndpoints: beyond 1000 addresses, keep a proportional share per subset, ready ones first. */
export function truncateSubsets(subsets: EndpointSubset[]): {subsets: EndpointSubset[]; truncated: boolean} {
  const totalReady = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0)
  const totalNotReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0)
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return {subsets, truncated: false}
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady
  const total = truncateReady ? totalReady : totalNotReady
  let canBeAdded = max
  const out = subsets.map((s) => {
    const inSubset = (truncateReady ? s.addresses : s.notReadyAddresses)?.length ?? 0
    const toBeAdded = Math.min(Math.ceil((inSubset / total) * max), canBeAdded)
    const next: EndpointSubset = {...s}
    if (truncateReady) {
      next.addresses = (s.addresses ?? []).slice(0, toBeAdded)
      delete next.notReadyAddresses
      canBeAdded -= next.addresses.length
    } else {
      next.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded)
      canBeAdded -= next.notReadyAddresses.length
    }
    return next
  })
  return {subsets: out, truncated: true}
}

/** Subsets compared as the controller compares them: ignoring the pods' resourceVersions. */
export function sameSubsets(a: EndpointSubset[] | undefined, b: EndpointSubset[] | undefined): boolean {
  const strip = (subsets: EndpointSubset[] | undefined) =>
    JSON.stringify(sortKeys((subsets ?? []).map((s) => ({...s, addresses: withoutVersions(s.addresses), notReadyAddresses: withoutVersions(s.notReadyAddresses)}))))
  return strip(a) === strip(b)
}

function withoutVersions(list: EndpointAddress[] | undefined): EndpointAddress[] | undefined {
  if (!list?.length) return undefined
  return list.map((a) => (a.targetRef ? {...a, targetRef: {...a.targetRef, resourceVersion: undefined}} : a))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  )
}

function addressKey(a: EndpointAddress): string {
  return `${a.ip}|${a.targetRef?.uid ?? ''}`
}

/** LessEndpointAddress: by IP (bytewise), then target uid. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return compareText(a.ip, b.ip) || compareText(a.targetRef?.uid ?? '', b.targetRef?.uid ?? '')
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  return compareText(a.name ?? '', b.name ?? '') || a.port - b.port || compareText(a.protocol ?? '', b.protocol ?? '')
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
