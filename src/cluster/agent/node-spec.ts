// What a kcluster node is made of: the Node object the agent registers, its capacity, and the
// annotations through which `kcluster node add|fail|recover` steer simulated nodes. The annotations
// live on the Node itself, so the control plane rediscovers every node's intent from the store after
// a restart, like kwok's managed-node annotation.
import {cpus, totalmem} from 'node:os'
import {statfsSync} from 'node:fs'
import type {Node} from 'kubernetes-types/core/v1.js'

/** Marks a Node whose kubelet this control plane simulates (`kcluster node add`, `--nodes`). */
export const SIMULATED_NODE_ANNOTATION = 'kcluster.dev/simulated'
/** `stopped`: the node's kubelet is down (`kcluster node fail`): no heartbeat, no pod sync. */
export const HEARTBEAT_ANNOTATION = 'kcluster.dev/heartbeat'
/** JSON map of the node's capacity (cpu, memory, pods), written when the node is added. */
export const CAPACITY_ANNOTATION = 'kcluster.dev/capacity'

export interface NodeSize {
  cpu?: string
  memory?: string
  pods?: number
}

/** The host's own resources, the default size of every node. */
export function hostCapacity(stateDir: string, size: NodeSize = {}): Record<string, string> {
  let storageKi = 100 * 1024 * 1024
  try {
    const fs = statfsSync(stateDir)
    storageKi = Math.floor((fs.blocks * fs.bsize) / 1024)
  } catch {
    // keep the default when the state dir's filesystem cannot be read
  }
  return {
    cpu: size.cpu ?? String(cpus().length),
    memory: size.memory ?? `${Math.floor(totalmem() / 1024)}Ki`,
    pods: String(size.pods ?? 110),
    'ephemeral-storage': `${storageKi}Ki`,
  }
}

/** The capacity a node was added with, over the defaults; a damaged annotation falls back to the defaults. */
export function capacityOf(node: Node | undefined, defaults: Record<string, string>): Record<string, string> {
  const text = node?.metadata?.annotations?.[CAPACITY_ANNOTATION]
  if (!text) return defaults
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    const own = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]))
    return {...defaults, ...own}
  } catch {
    return defaults
  }
}

export function heartbeatStopped(node: Node | undefined): boolean {
  return node?.metadata?.annotations?.[HEARTBEAT_ANNOTATION] === 'stopped'
}

export interface NodeObjectOptions {
  name: string
  hostIP: string
  controlPlane: boolean
  /** Written as the capacity annotation (simulated nodes added after the first). */
  size?: NodeSize
  /** The first node's spec.podCIDR: the range the runtime gives pod IPs from. */
  podCIDR?: string
}

/** The Node as first registered: labels a kubelet sets, plus kcluster's annotations. */
export function nodeObject(opts: NodeObjectOptions): Node {
  const annotations: Record<string, string> = {'node.alpha.kubernetes.io/ttl': '0', [SIMULATED_NODE_ANNOTATION]: 'true'}
  const size = Object.fromEntries(Object.entries(opts.size ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))
  if (Object.keys(size).length) annotations[CAPACITY_ANNOTATION] = JSON.stringify(size)
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': opts.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  }
  if (opts.controlPlane) labels['node-role.kubernetes.io/control-plane'] = ''
  // Pod IPs come from one cluster-wide range (the runtime allocates them), so only the first node
  // claims it; per-node ranges would be a lie the IPs do not follow.
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {name: opts.name, labels, annotations},
    spec: opts.controlPlane ? podCIDRSpec(opts.podCIDR ?? DEFAULT_POD_CIDR) : {},
    status: {addresses: [{type: 'InternalIP', address: opts.hostIP}, {type: 'Hostname', address: opts.name}]},
  }
}

const DEFAULT_POD_CIDR = '10.244.0.0/16'

export function podCIDRSpec(cidr: string): {podCIDR: string; podCIDRs: string[]} {
  return {podCIDR: cidr, podCIDRs: [cidr]}
}
