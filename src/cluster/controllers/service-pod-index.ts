// Which Services a pod change concerns, for the watch predicates of the Endpoints and EndpointSlice
// controllers (GetPodServiceMemberships / GetServicesToUpdateOnPodChange). Services' selectors are
// indexed per namespace from Service events; each pod's labels and endpoint-relevant state are
// remembered, so a pod change wakes the Services of its old and new labels, and a change that no
// endpoint can see (most status writes) wakes none.
import type {Pod, Service} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../api/types.js'
import type {WatchEventType} from '../apiserver/registry/watch.js'
import type {ObjectKey} from './reconciler.js'
import {isPodReady, selects, serviceSelector} from './service-endpoints.js'

interface PodState {
  labels: Record<string, string>
  /**
   * What an endpoint is built from; a pod event changing none of it wakes no Service. Only computed
   * while some Service selects in the pod's namespace (absent: the next event counts as a change).
   */
  digest?: string
}

export class ServicePodIndex {
  private readonly selectors = new Map<string, Map<string, Record<string, string>>>()
  private readonly pods = new Map<string, PodState>()

  /** keysFor of the Service source: keeps the selector index current and wakes the Service itself. */
  serviceKeys = (obj: KubeObject, _r: unknown, event: WatchEventType): ObjectKey[] => {
    const svc = obj as Service
    const namespace = svc.metadata!.namespace!
    const name = svc.metadata!.name!
    const selector = event === 'DELETED' ? undefined : serviceSelector(svc)
    const inNamespace = this.selectors.get(namespace) ?? new Map<string, Record<string, string>>()
    if (selector) inNamespace.set(name, selector)
    else inNamespace.delete(name)
    if (inNamespace.size > 0) this.selectors.set(namespace, inNamespace)
    else this.selectors.delete(namespace)
    return [{namespace, name}]
  }

  /** keysFor of the Pod source: the Services selecting the pod's previous or current labels. */
  podKeys = (obj: KubeObject, _r: unknown, event: WatchEventType): ObjectKey[] => {
    const pod = obj as Pod
    const namespace = pod.metadata!.namespace!
    const id = `${namespace}/${pod.metadata!.name}`
    const before = this.pods.get(id)
    const labels = pod.metadata?.labels ?? {}
    const selectors = this.selectors.get(namespace)
    if (event === 'DELETED') this.pods.delete(id)
    else {
      const now: PodState = {labels, digest: selectors ? endpointDigest(pod) : undefined}
      this.pods.set(id, now)
      if (!selectors) return []
      if (before?.digest !== undefined && before.digest === now.digest && sameLabels(before.labels, labels)) return []
    }
    const names = new Set<string>()
    for (const [name, selector] of selectors ?? []) {
      if (selects(selector, labels) || (before && selects(selector, before.labels))) names.add(name)
    }
    return [...names].map((name) => ({namespace, name}))
  }
}

function endpointDigest(pod: Pod): string {
  return JSON.stringify([
    pod.metadata?.uid,
    Boolean(pod.metadata?.deletionTimestamp),
    pod.status?.phase,
    pod.status?.podIP,
    pod.status?.podIPs,
    isPodReady(pod),
    pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime,
    pod.spec?.nodeName,
    pod.spec?.hostname,
    pod.spec?.subdomain,
  ])
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}
