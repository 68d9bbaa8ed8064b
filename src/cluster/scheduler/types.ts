// The scheduler's in-memory model: what it knows about a pod (requests, parsed affinity terms) and a
// node (allocatable, effective taints, the pods on it and their summed requests), in the shape of
// kube-scheduler's PodInfo and NodeInfo. Everything here is computed once per object change, so
// filters and scores only compare numbers and labels.
import type {Node, Pod, Taint} from 'kubernetes-types/core/v1.js'
import type {LabelSelector} from '../api/label-selector.js'

/** Amounts as kube-scheduler keeps them: cpu in millicores, everything else in whole units (bytes, devices). */
export interface ResourceAmounts {
  milliCpu: number
  memory: number
  ephemeralStorage: number
  /** Extended resources (`nvidia.com/gpu`), hugepages and other countable resources. */
  scalars: Record<string, number>
}

export interface AffinityTerm {
  /** Namespaces named by the term (or the pod's own when the term names none and has no namespaceSelector). */
  namespaces: ReadonlySet<string>
  /** Selects namespaces by their labels; `{}` selects all namespaces. */
  namespaceSelector?: LabelSelector
  selector: LabelSelector
  topologyKey: string
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number
}

export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[]
  requiredAntiAffinity: AffinityTerm[]
  preferredAffinity: WeightedAffinityTerm[]
  preferredAntiAffinity: WeightedAffinityTerm[]
}

export interface PodInfo {
  /** `namespace/name`, the work-queue key. */
  key: string
  namespace: string
  name: string
  uid?: string
  labels: Readonly<Record<string, string>>
  nodeName?: string
  pod: Pod
  /** What the pod asks for: containers summed, init containers as a maximum, plus overhead. */
  requests: ResourceAmounts
  /** cpu/memory with kube-scheduler's defaults (100m, 200Mi) for containers that request none; used for scoring only. */
  nonZero: {milliCpu: number; memory: number}
  terminating: boolean
  affinity: PodAffinityTerms
}

export interface NodeInfo {
  name: string
  /** Absent while pods bound to this name are known but the Node object is not (yet). */
  node?: Node
  labels: Readonly<Record<string, string>>
  /** spec.taints plus the NoSchedule taints the node lifecycle controller derives from conditions. */
  taints: readonly Taint[]
  unschedulable: boolean
  allocatable: ResourceAmounts & {pods: number}
  requested: ResourceAmounts
  nonZeroRequested: {milliCpu: number; memory: number}
  /** Pods bound (or assumed bound) to this node, by key. */
  pods: Map<string, PodInfo>
}

/** What filters and scores may look at beyond one node: every node, pods with affinity, namespace labels. */
export interface ClusterView {
  /** Nodes with a Node object, sorted by name. */
  nodes: readonly NodeInfo[]
  nodeInfo(name: string): NodeInfo | undefined
  /** Pods on nodes that carry any pod affinity or anti-affinity (required or preferred). */
  podsWithAffinity: Iterable<PodInfo>
  /** Pods on nodes with required anti-affinity terms. */
  podsWithRequiredAntiAffinity: Iterable<PodInfo>
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined
}

export type FilterResult = {ok: true} | {ok: false; reasons: string[]; unresolvable: boolean}

export const FIT: FilterResult = {ok: true}

/** Unschedulable: preemption could help (resources, anti-affinity). */
export function rejected(...reasons: string[]): FilterResult {
  return {ok: false, reasons, unresolvable: false}
}

/** UnschedulableAndUnresolvable: no eviction on that node would change the answer (taints, selectors). */
export function unresolvable(...reasons: string[]): FilterResult {
  return {ok: false, reasons, unresolvable: true}
}

/** A Filter plugin. prepare() is PreFilter: computed once per pod from the whole cluster. */
export interface FilterPlugin<S = unknown> {
  readonly name: string
  prepare?(pod: PodInfo, cluster: ClusterView): S
  /** PreFilterResult.NodeNames: when defined, only these nodes are considered at all. */
  eligibleNodes?(state: S): ReadonlySet<string> | undefined
  filter(pod: PodInfo, nodeInfo: NodeInfo, state: S): FilterResult
}

/** A Score plugin: raw scores per feasible node, normalized to 0-100, then weighted. */
export interface ScorePlugin<S = unknown> {
  readonly name: string
  readonly weight: number
  /** PreScore over the nodes that passed filtering; return undefined to skip the plugin (every node scores 0). */
  prepare?(pod: PodInfo, feasible: readonly NodeInfo[], cluster: ClusterView): S | undefined
  score(pod: PodInfo, nodeInfo: NodeInfo, state: S): number
  /** Rewrites the raw scores (same order as the feasible nodes) into 0-100. */
  normalize?(scores: number[], state: S): void
}
