// Builds the scheduler's PodInfo once per pod change: requests in numbers and pod (anti-)affinity
// terms with their selectors parsed, so filters never re-parse a selector per node.
import type {Pod, PodAffinityTerm, WeightedPodAffinityTerm} from 'kubernetes-types/core/v1.js'
import {labelSelectorFromSpec, matchesLabels, type LabelSelector, type LabelSelectorSpec} from '../api/label-selector.js'
import {podNonZeroRequests, podRequests} from './resource-requests.js'
import type {AffinityTerm, PodAffinityTerms, PodInfo, WeightedAffinityTerm} from './types.js'

const NOTHING: LabelSelector = {requirements: [], matchesNothing: true}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`
}

/** A selector from the API, or one matching nothing when it is malformed (LabelSelectorAsSelector's error path). */
export function safeSelector(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  try {
    return labelSelectorFromSpec(spec)
  } catch {
    return NOTHING
  }
}

/**
 * The term's selector with matchLabelKeys / mismatchLabelKeys folded in from the owning pod's labels
 * (`key in (its value)` / `key notin (its value)`), as the API server merges them upstream.
 */
function termSelector(term: PodAffinityTerm, labels: Readonly<Record<string, string>>): LabelSelector {
  const spec = term.labelSelector
  if (!spec) return NOTHING
  const extra: Array<{key: string; operator: string; values: string[]}> = []
  for (const key of term.matchLabelKeys ?? []) if (Object.hasOwn(labels, key)) extra.push({key, operator: 'In', values: [labels[key]]})
  for (const key of term.mismatchLabelKeys ?? []) if (Object.hasOwn(labels, key)) extra.push({key, operator: 'NotIn', values: [labels[key]]})
  if (extra.length === 0) return safeSelector(spec)
  return safeSelector({matchLabels: spec.matchLabels, matchExpressions: [...(spec.matchExpressions ?? []), ...extra]})
}

function affinityTerm(pod: Pod, term: PodAffinityTerm, labels: Readonly<Record<string, string>>): AffinityTerm {
  const named = term.namespaces ?? []
  // No namespaces and no namespaceSelector means "the pod's own namespace".
  const namespaces = new Set(named.length === 0 && !term.namespaceSelector ? [pod.metadata?.namespace ?? ''] : named)
  const out: AffinityTerm = {namespaces, selector: termSelector(term, labels), topologyKey: term.topologyKey}
  if (term.namespaceSelector) out.namespaceSelector = safeSelector(term.namespaceSelector)
  return out
}

function weighted(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined, labels: Readonly<Record<string, string>>): WeightedAffinityTerm[] {
  return (terms ?? []).map((t) => ({...affinityTerm(pod, t.podAffinityTerm, labels), weight: t.weight}))
}

function affinityTerms(pod: Pod, labels: Readonly<Record<string, string>>): PodAffinityTerms {
  const affinity = pod.spec?.affinity
  const required = (terms: readonly PodAffinityTerm[] | undefined) => (terms ?? []).map((t) => affinityTerm(pod, t, labels))
  return {
    requiredAffinity: required(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: required(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: weighted(pod, affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, labels),
    preferredAntiAffinity: weighted(pod, affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, labels),
  }
}

export function buildPodInfo(pod: Pod): PodInfo {
  const labels = pod.metadata?.labels ?? {}
  const info: PodInfo = {
    key: podKey(pod),
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    labels,
    pod,
    requests: podRequests(pod),
    nonZero: podNonZeroRequests(pod),
    terminating: Boolean(pod.metadata?.deletionTimestamp),
    affinity: affinityTerms(pod, labels),
  }
  if (pod.metadata?.uid) info.uid = pod.metadata.uid
  if (pod.spec?.nodeName) info.nodeName = pod.spec.nodeName
  return info
}

export function hasPodAffinity(p: PodInfo): boolean {
  const a = p.affinity
  return a.requiredAffinity.length + a.requiredAntiAffinity.length + a.preferredAffinity.length + a.preferredAntiAffinity.length > 0
}

/** AffinityTerm.Matches: the target is in one of the term's namespaces and carries matching labels. */
export function termMatchesPod(term: AffinityTerm, target: PodInfo, namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined): boolean {
  const inNamespace =
    term.namespaces.has(target.namespace) || (term.namespaceSelector !== undefined && matchesLabels(term.namespaceSelector, namespaceLabels(target.namespace) ?? {}))
  return inNamespace && matchesLabels(term.selector, target.labels)
}
