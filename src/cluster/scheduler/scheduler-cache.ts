// The scheduler's view of the cluster, kept current from watch events (kube-scheduler's cache):
// nodes with the pods bound to them and their summed requests, the pending pods this scheduler
// owns, and namespace labels for affinity namespaceSelectors. A pod the scheduler has decided on is
// *assumed* onto its node at once, so the next decision (even before the binding's watch event
// arrives) sees its requests; the assumption ends when the event shows the pod bound, or is undone
// when the binding fails. Terminal pods (Succeeded/Failed) hold no resources, as upstream.
import type {Namespace, Node, Pod} from 'kubernetes-types/core/v1.js'
import {addPod, clearNode, emptyNodeInfo, removePod, setNode} from './node-info.js'
import {buildPodInfo, hasPodAffinity, podKey} from './pod-info.js'
import type {ClusterView, NodeInfo, PodInfo} from './types.js'

export interface SchedulerCacheEvents {
  /**
   * A pod this scheduler should place appeared or changed. `changed` is false when only its status or
   * resourceVersion moved (e.g. the scheduler's own PodScheduled=False write), which gives no reason
   * to retry a pod waiting out its back-off.
   */
  pending(key: string, changed: boolean): void
  /** A pod left the pending set (bound, deleted, gated, handed to another scheduler). */
  pendingGone(key: string): void
  /** Something changed that may let a pod that did not fit fit now (node added or changed, pod removed...). */
  clusterChanged(): void
}

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'

/** The scheduler's queue predicate: unbound, not being deleted, ungated, and addressed to this scheduler. */
export function isPendingFor(pod: Pod, schedulerName: string): boolean {
  const spec = pod.spec
  return (
    !spec?.nodeName &&
    !pod.metadata?.deletionTimestamp &&
    (spec?.schedulerName || 'default-scheduler') === schedulerName &&
    (spec?.schedulingGates ?? []).length === 0 &&
    !isTerminal(pod)
  )
}

/**
 * Whether an event for a placed pod leaves everything other decisions depend on as it was (status
 * updates from the node agent are most events): same pod, node, labels and deletion state.
 */
function samePlacement(p: PodInfo, pod: Pod): boolean {
  if (p.uid !== pod.metadata?.uid || p.nodeName !== pod.spec?.nodeName || p.terminating !== Boolean(pod.metadata?.deletionTimestamp)) return false
  const labels = pod.metadata?.labels ?? {}
  const keys = Object.keys(labels)
  return keys.length === Object.keys(p.labels).length && keys.every((k) => p.labels[k] === labels[k])
}

/** Everything of a pending pod except its status and bookkeeping metadata. */
function schedulingInputs(pod: Pod): string {
  return JSON.stringify([pod.metadata?.uid, pod.metadata?.labels, pod.metadata?.annotations, pod.spec])
}

/** What about a node matters to scheduling: heartbeats alone do not change it. */
function nodeFingerprint(info: NodeInfo): string {
  return JSON.stringify([info.labels, info.taints, info.unschedulable, info.allocatable])
}

export class SchedulerCache implements ClusterView {
  private readonly nodeInfos = new Map<string, NodeInfo>()
  private sortedNodes: NodeInfo[] | undefined
  private readonly placed = new Map<string, PodInfo>()
  private readonly assumed = new Set<string>()
  private readonly pending = new Map<string, Pod>()
  private readonly withAffinity = new Map<string, PodInfo>()
  private readonly withRequiredAnti = new Map<string, PodInfo>()
  private readonly namespaces = new Map<string, Readonly<Record<string, string>>>()

  constructor(
    private readonly schedulerName: string,
    private readonly events: SchedulerCacheEvents,
  ) {}

  // ---- ClusterView ----

  get nodes(): readonly NodeInfo[] {
    this.sortedNodes ??= [...this.nodeInfos.values()].filter((n) => n.node).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return this.sortedNodes
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodeInfos.get(name)
  }

  get podsWithAffinity(): Iterable<PodInfo> {
    return this.withAffinity.values()
  }

  get podsWithRequiredAntiAffinity(): Iterable<PodInfo> {
    return this.withRequiredAnti.values()
  }

  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.namespaces.get(namespace)
  }

  // ---- scheduling ----

  pendingPod(key: string): Pod | undefined {
    return this.pending.get(key)
  }

  get pendingCount(): number {
    return this.pending.size
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key)
  }

  /** Count the pod on the node now; the binding's watch event confirms it later. */
  assume(pod: PodInfo, nodeName: string): void {
    this.pending.delete(pod.key)
    this.assumed.add(pod.key)
    this.place({...pod, nodeName})
    // A placed pod can satisfy another's pod affinity; its binding event will look like no change.
    this.events.clusterChanged()
  }

  /** The binding failed: take the assumed pod off its node again. */
  forget(key: string): void {
    if (!this.assumed.delete(key)) return
    this.unplace(key)
  }

  // ---- nodes ----

  upsertNode(node: Node): void {
    const name = node.metadata?.name ?? ''
    let info = this.nodeInfos.get(name)
    const before = info?.node ? nodeFingerprint(info) : undefined
    if (!info) this.nodeInfos.set(name, (info = emptyNodeInfo(name)))
    if (!info.node) this.sortedNodes = undefined
    setNode(info, node)
    if (before !== nodeFingerprint(info)) this.events.clusterChanged()
  }

  deleteNode(name: string): void {
    const info = this.nodeInfos.get(name)
    if (!info?.node) return
    this.sortedNodes = undefined
    // Pods still bound to a vanished node keep their entry until they go, so a returning node is not overcommitted.
    if (info.pods.size > 0) clearNode(info)
    else this.nodeInfos.delete(name)
  }

  replaceNodes(nodes: readonly Node[]): void {
    const names = new Set(nodes.map((n) => n.metadata?.name ?? ''))
    for (const [name, info] of this.nodeInfos) if (info.node && !names.has(name)) this.deleteNode(name)
    for (const n of nodes) this.upsertNode(n)
    this.events.clusterChanged()
  }

  // ---- pods ----

  upsertPod(pod: Pod): void {
    const key = podKey(pod)
    if (isPendingFor(pod, this.schedulerName) && !this.assumed.has(key)) {
      const previous = this.pending.get(key)
      this.pending.set(key, pod)
      this.events.pending(key, !previous || schedulingInputs(previous) !== schedulingInputs(pod))
    } else if (this.pending.delete(key)) {
      this.events.pendingGone(key)
    }
    if (!pod.spec?.nodeName) {
      // Not bound (yet): an assumed placement stands until the binding's event arrives.
      if (!this.assumed.has(key) && this.unplace(key)) this.events.clusterChanged()
      return
    }
    this.assumed.delete(key)
    if (isTerminal(pod)) {
      if (this.unplace(key)) this.events.clusterChanged()
      return
    }
    const existing = this.placed.get(key)
    if (existing && samePlacement(existing, pod)) return
    this.place(buildPodInfo(pod))
    this.events.clusterChanged()
  }

  deletePod(pod: Pod): void {
    const key = podKey(pod)
    if (this.pending.delete(key)) this.events.pendingGone(key)
    this.assumed.delete(key)
    if (this.unplace(key)) this.events.clusterChanged()
  }

  replacePods(pods: readonly Pod[]): void {
    const keys = new Set(pods.map(podKey))
    for (const key of [...this.placed.keys()]) if (!keys.has(key) && !this.assumed.has(key)) this.unplace(key)
    for (const key of [...this.pending.keys()]) {
      if (keys.has(key)) continue
      this.pending.delete(key)
      this.events.pendingGone(key)
    }
    for (const p of pods) this.upsertPod(p)
    this.events.clusterChanged()
  }

  // ---- namespaces ----

  upsertNamespace(ns: Namespace): void {
    this.namespaces.set(ns.metadata?.name ?? '', ns.metadata?.labels ?? {})
    this.events.clusterChanged()
  }

  deleteNamespace(ns: Namespace): void {
    this.namespaces.delete(ns.metadata?.name ?? '')
  }

  replaceNamespaces(list: readonly Namespace[]): void {
    this.namespaces.clear()
    for (const ns of list) this.namespaces.set(ns.metadata?.name ?? '', ns.metadata?.labels ?? {})
    this.events.clusterChanged()
  }

  // ---- internals ----

  private place(info: PodInfo): void {
    this.unplace(info.key)
    const nodeName = info.nodeName!
    let node = this.nodeInfos.get(nodeName)
    if (!node) this.nodeInfos.set(nodeName, (node = emptyNodeInfo(nodeName)))
    addPod(node, info)
    this.placed.set(info.key, info)
    if (hasPodAffinity(info)) this.withAffinity.set(info.key, info)
    if (info.affinity.requiredAntiAffinity.length > 0) this.withRequiredAnti.set(info.key, info)
  }

  /** Takes the pod off its node; true when it was placed. */
  private unplace(key: string): boolean {
    const info = this.placed.get(key)
    if (!info) return false
    this.placed.delete(key)
    this.withAffinity.delete(key)
    this.withRequiredAnti.delete(key)
    const node = this.nodeInfos.get(info.nodeName!)
    if (node) {
      removePod(node, key)
      if (!node.node && node.pods.size === 0) this.nodeInfos.delete(node.name)
    }
    return true
  }
}
