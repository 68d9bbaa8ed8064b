// What the Endpoints and EndpointSlice controllers share about a Service and its pods, as
// k8s.io/endpointslice/util and podutil define it: which pods count, their address, readiness and the
// container port each service port resolves to.
import {isIPv6} from 'node:net'
import type {Pod, Service, ServicePort} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {NAMESPACE_INDEX} from './informers/indexers.js'
import type {SharedInformer} from './informers/shared-informer.js'

/** The field manager kube-controller-manager's clients get (their user agent), as on a real cluster. */
export const CONTROLLER_MANAGER = 'kube-controller-manager'
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time'

const PODS = resourceOfKind('Pod')

/** The 403 a create gets in a namespace being deleted (errors.HasStatusCause NamespaceTerminating). */
export function isNamespaceTerminating(error: unknown): boolean {
  const causes = (error as {details?: {causes?: Array<{reason?: string}>}}).details?.causes ?? []
  return (error as {code?: number}).code === 403 && causes.some((c) => c.reason === 'NamespaceTerminating')
}

/**
 * The selector the controllers act on, or undefined when they leave the Service alone: ExternalName
 * Services and Services without a selector (whose endpoints are written by someone else). An empty
 * selector counts as none: the real server's encoding drops empty maps, so it never sees one.
 */
export function serviceSelector(svc: Service): Record<string, string> | undefined {
  if (svc.spec?.type === 'ExternalName') return undefined
  const selector = svc.spec?.selector
  return selector && Object.keys(selector).length > 0 ? selector : undefined
}

/** labels.Set(selector).AsSelectorPreValidated().Matches: every key equal. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false
  return true
}

/**
 * The pods of the Service's namespace its selector picks (none without a selector): from the shared
 * pod informer's cache when given (read-only objects; a pod change wakes the Service after the cache
 * holds it), else fresh from the store.
 */
export async function podsOf(registry: ObjectRegistry, svc: Service, pods?: SharedInformer): Promise<Pod[]> {
  const selector = serviceSelector(svc)
  if (!selector) return []
  const items = pods ? pods.cache.byIndex(NAMESPACE_INDEX, svc.metadata!.namespace!) : (await registry.list(PODS, svc.metadata!.namespace)).items
  return (items as Pod[]).filter((pod) => selects(selector, pod.metadata?.labels))
}

export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP
  return ip !== undefined && ip !== '' && ip !== 'None'
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
}

/**
 * ShouldPodBeInEndpoints: not Succeeded/Failed, has an IP, and (unless terminating pods are wanted) no
 * deletionTimestamp.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase
  if (phase === 'Succeeded' || phase === 'Failed') return false
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false
  return true
}

/** The Service's primary IP family: spec.ipFamilies[0], else the cluster IP's, else the pod IP's. */
function serviceFamilyIsV6(svc: Service, pod: Pod): boolean {
  const family = svc.spec?.ipFamilies?.[0]
  if (family) return family === 'IPv6'
  if (isServiceIPSet(svc)) return isIPv6(svc.spec!.clusterIP!)
  return isIPv6(pod.status?.podIP ?? '')
}

/** The pod's IP of the Service's family, or undefined (podToEndpointAddressForService). */
export function podIPForService(svc: Service, pod: Pod): string | undefined {
  const v6 = serviceFamilyIsV6(svc, pod)
  const ips = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip) : [pod.status?.podIP ?? '']
  return ips.find((ip) => ip && isIPv6(ip) === v6)
}

/** The pod's IPs of one address type, for EndpointSlices (getEndpointAddresses). */
export function podIPsOfType(pod: Pod, addressType: 'IPv4' | 'IPv6'): string[] {
  const ips = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip ?? '') : [pod.status?.podIP ?? '']
  return ips.filter((ip) => ip !== '' && isIPv6(ip) === (addressType === 'IPv6'))
}

/** ShouldSetHostname: a pod with a hostname whose subdomain names this Service. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return Boolean(pod.spec?.hostname) && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace
}

/**
 * FindPort: a numeric targetPort is used as is; a named one is looked up (name and protocol) in the
 * containers' ports and in restartable (sidecar) init containers'. Undefined when the pod lacks it.
 */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port
  if (typeof target === 'number') return target
  const protocol = port.protocol ?? 'TCP'
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars])
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort
  return undefined
}

/**
 * endpoints.kubernetes.io/last-change-trigger-time: the latest of the Service's creation and its pods'
 * last readiness transitions. The real controller tracks which of these changed since its previous
 * sync; this level-based reading gives the same time whenever the latest change is still visible.
 */
export function lastChangeTriggerTime(svc: Service, pods: Pod[]): string | undefined {
  let latest = svc.metadata?.creationTimestamp
  for (const pod of pods) {
    const t = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime
    if (t && (!latest || Date.parse(t) > Date.parse(latest))) latest = t
  }
  return latest
}
