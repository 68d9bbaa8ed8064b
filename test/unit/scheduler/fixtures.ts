// Builders for scheduler unit tests: nodes and pods as the API would hold them, and a ClusterView
// over a handful of NodeInfos.
import type {Container, Node, Pod, PodSpec, Taint} from 'kubernetes-types/core/v1.js'
import {nodeInfoOf} from '../../../src/cluster/scheduler/node-info.js'
import {buildPodInfo} from '../../../src/cluster/scheduler/pod-info.js'
import type {ClusterView, NodeInfo, PodInfo} from '../../../src/cluster/scheduler/types.js'

export interface NodeOptions {
  cpu?: string
  memory?: string
  pods?: string
  labels?: Record<string, string>
  taints?: Taint[]
  ready?: 'True' | 'False' | 'Unknown' | 'absent'
  unschedulable?: boolean
  extra?: Record<string, string>
}

export function makeNode(name: string, opts: NodeOptions = {}): Node {
  const allocatable = {cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110', ...opts.extra}
  const ready = opts.ready ?? 'True'
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {name, labels: {'kubernetes.io/hostname': name, ...opts.labels}},
    spec: {...(opts.taints ? {taints: opts.taints} : {}), ...(opts.unschedulable ? {unschedulable: true} : {})},
    status: {
      allocatable,
      capacity: allocatable,
      conditions: ready === 'absent' ? [] : [{type: 'Ready', status: ready}],
    },
  }
}

export interface PodOptions {
  namespace?: string
  labels?: Record<string, string>
  cpu?: string
  memory?: string
  nodeName?: string
  spec?: Partial<PodSpec>
  containers?: Container[]
  deleting?: boolean
}

export function makePod(name: string, opts: PodOptions = {}): Pod {
  const requests: Record<string, string> = {}
  if (opts.cpu) requests.cpu = opts.cpu
  if (opts.memory) requests.memory = opts.memory
  const containers = opts.containers ?? [{name: 'c', image: 'nginx', resources: Object.keys(requests).length > 0 ? {requests} : {}}]
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: opts.labels ?? {},
      ...(opts.deleting ? {deletionTimestamp: '2026-01-01T00:00:00Z'} : {}),
    },
    spec: {containers, schedulerName: 'default-scheduler', ...(opts.nodeName ? {nodeName: opts.nodeName} : {}), ...opts.spec},
  }
}

export function podInfo(name: string, opts: PodOptions = {}): PodInfo {
  return buildPodInfo(makePod(name, opts))
}

/** A node with pods already bound to it (the pods get the node's name). */
export function nodeWith(node: Node, pods: Pod[] = []): NodeInfo {
  const name = node.metadata!.name!
  return nodeInfoOf(node, pods.map((p) => buildPodInfo({...p, spec: {...p.spec!, nodeName: name}})))
}

export function clusterOf(nodes: NodeInfo[], namespaces: Record<string, Record<string, string>> = {}): ClusterView {
  const sorted = [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1))
  const all = () => sorted.flatMap((n) => [...n.pods.values()])
  return {
    nodes: sorted,
    nodeInfo: (name) => sorted.find((n) => n.name === name),
    get podsWithAffinity() {
      return all().filter((p) => p.affinity.requiredAffinity.length + p.affinity.requiredAntiAffinity.length + p.affinity.preferredAffinity.length + p.affinity.preferredAntiAffinity.length > 0)
    },
    get podsWithRequiredAntiAffinity() {
      return all().filter((p) => p.affinity.requiredAntiAffinity.length > 0)
    },
    namespaceLabels: (ns) => namespaces[ns],
  }
}
