// What the downward API exposes (env fieldRef/resourceFieldRef and downwardAPI volume items), computed
// as the kubelet does: fieldpath.ExtractFieldPathAsString for metadata, the pod's IPs and node for
// status/spec fields, and resource values rounded up to whole divisors, with unset limits taken from
// the node's allocatable (defaultPodLimitsForDownwardAPI).
import type {Container, ObjectFieldSelector, Pod, ResourceFieldSelector} from 'kubernetes-types/core/v1.js'
import {parseQuantity, toMilli, type Quantity} from '../../apiserver/strategies/quantity.js'

export interface DownwardContext {
  pod: Pod
  podIP: string | undefined
  hostIP: string | undefined
  /** The node's allocatable resources (cpu, memory, ephemeral-storage), the default for unset limits. */
  allocatable: Record<string, string>
}

export class DownwardApiError extends Error {
  override name = 'DownwardApiError'
  readonly code = 'DownwardApiUnsupported'
}

/** fieldRef: the value of one pod field, as a string. */
export function fieldRefValue(ref: ObjectFieldSelector, ctx: DownwardContext): string {
  const {pod} = ctx
  switch (ref.fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? ''
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? ''
    case 'status.hostIP':
      return ctx.hostIP ?? pod.status?.hostIP ?? ''
    case 'status.hostIPs':
      return (pod.status?.hostIPs?.map((h) => h.ip) ?? [ctx.hostIP ?? pod.status?.hostIP].filter(Boolean)).join(',')
    case 'status.podIP':
      return ctx.podIP ?? pod.status?.podIP ?? ''
    case 'status.podIPs':
      return [ctx.podIP ?? pod.status?.podIP].filter(Boolean).join(',')
  }
  return metadataFieldValue(ref.fieldPath, pod)
}

function metadataFieldValue(fieldPath: string, pod: Pod): string {
  const meta = pod.metadata ?? {}
  const subscripted = splitSubscript(fieldPath)
  if (subscripted) {
    if (subscripted.path === 'metadata.annotations') return meta.annotations?.[subscripted.key] ?? ''
    if (subscripted.path === 'metadata.labels') return meta.labels?.[subscripted.key] ?? ''
    throw new DownwardApiError(`fieldPath "${fieldPath}" does not support subscript`)
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations ?? {})
    case 'metadata.labels':
      return formatMap(meta.labels ?? {})
    case 'metadata.name':
      return meta.name ?? ''
    case 'metadata.namespace':
      return meta.namespace ?? ''
    case 'metadata.uid':
      return meta.uid ?? ''
  }
  throw new DownwardApiError(`unsupported fieldPath: ${fieldPath}`)
}

/** `metadata.labels['app']` → {path: 'metadata.labels', key: 'app'} (SplitMaybeSubscriptedPath). */
function splitSubscript(fieldPath: string): {path: string; key: string} | undefined {
  if (!fieldPath.endsWith("']")) return undefined
  const at = fieldPath.indexOf("['")
  if (at <= 0) return undefined
  return {path: fieldPath.slice(0, at), key: fieldPath.slice(at + 2, -2)}
}

/** fieldpath.FormatMap: `key="value"` lines in key order, values quoted as Go's %q does. */
export function formatMap(map: Record<string, string>): string {
  return Object.keys(map)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${goQuote(map[k])}`)
    .join('\n')
}

function goQuote(value: string): string {
  return JSON.stringify(value).replace(/\\u00([0-7][0-9a-f])/g, '\\x$1').replace(/\x7f/g, '\\x7f')
}

/**
 * resourceFieldRef: a container's request or limit divided by the divisor (default 1) and rounded up,
 * cpu in millicores before dividing, everything else in whole units. `container` is the one the env var
 * belongs to; a selector's containerName picks another container of the pod (volumes always name one).
 */
export function resourceFieldValue(ref: ResourceFieldSelector, ctx: DownwardContext, container?: Container): string {
  const target = ref.containerName ? findContainer(ctx.pod, ref.containerName) : container
  if (!target) throw new DownwardApiError(`container ${ref.containerName ?? ''} not found`)
  const dot = ref.resource.indexOf('.')
  const kind = ref.resource.slice(0, dot)
  const name = ref.resource.slice(dot + 1)
  const supported = ['cpu', 'memory', 'ephemeral-storage'].includes(name) || name.startsWith('hugepages-')
  if ((kind !== 'limits' && kind !== 'requests') || !supported) throw new DownwardApiError(`unsupported container resource : ${ref.resource}`)
  const divisorText = ref.divisor === undefined ? '0' : String(ref.divisor)
  const divisor = parseQuantity(divisorText).nano === 0n ? parseQuantity('1') : parseQuantity(divisorText)
  const amount = resourceAmount(target, kind, name, ctx.allocatable)
  if (name === 'cpu') return String(Math.ceil(Number(toMilli(amount)) / Number(toMilli(divisor))))
  return String(Math.ceil(Number(wholeValue(amount)) / Number(wholeValue(divisor))))
}

function resourceAmount(container: Container, kind: 'limits' | 'requests', name: string, allocatable: Record<string, string>): Quantity {
  const set = container.resources?.[kind]?.[name]
  if (set !== undefined) return parseQuantity(String(set))
  // Limits not set are the node's allocatable; hugepages have no such default, requests none at all.
  const fallback = kind === 'limits' && !name.startsWith('hugepages-') ? allocatable[name] : undefined
  return parseQuantity(fallback ?? '0')
}

function findContainer(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name)
}

/** Quantity.Value(): whole units, rounded up. */
function wholeValue(q: Quantity): bigint {
  const whole = q.nano / 1_000_000_000n
  return q.nano % 1_000_000_000n > 0n ? whole + 1n : whole
}
