// `kcluster node add NAME`: a new simulated node. The Node object carries the simulated-node
// annotation (and its size), and the control plane starts a kubelet for it as soon as it sees it.
import type {Node} from 'kubernetes-types/core/v1.js'
import {capacityOf, nodeObject, type NodeSize} from '../agent/node-spec.js'
import {KubeApiError} from '../client/http-client.js'
import {ClusterError} from '../lifecycle/cluster-error.js'
import {connect} from '../lifecycle/open-cluster.js'
import {nameArg} from '../lifecycle/state-dir.js'
import {waitForNodeReady} from '../lifecycle/wait-ready.js'
import {getNode} from './node-api.js'

export interface AddNodeOptions {
  size: NodeSize
  /** How long to wait for the node to be Ready (0: do not wait). */
  waitMs: number
  home?: string
}

export interface AddNodeResult {
  cluster: string
  node: string
  capacity: Record<string, string>
  /** Undefined when not waited for. */
  ready?: boolean
  /** Why it is not Ready, when waited for in vain. */
  notReadyReason?: string
}

export async function addNode(cluster: string, node: string, options: AddNodeOptions): Promise<AddNodeResult> {
  const {client} = await connect(cluster, options.home)
  try {
    const object = nodeObject({name: node, hostIP: '127.0.0.1', controlPlane: false, size: options.size})
    try {
      await client.request({method: 'POST', path: '/api/v1/nodes', body: object})
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 409) {
        throw new ClusterError('InvalidInput', `node "${node}" already exists in cluster "${cluster}"`, {fix: `pick another name, or remove it first with: kcluster node remove ${node}${nameArg(cluster)}`, cause: error})
      }
      if (error instanceof KubeApiError && error.code === 422) {
        throw new ClusterError('InvalidInput', `"${node}" is not a valid node name: ${error.message}`, {fix: 'use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit', cause: error})
      }
      throw error
    }
    if (options.waitMs <= 0) return {cluster, node, capacity: capacityOf(object, {})}
    const outcome = await waitForNodeReady(client, node, {timeoutMs: options.waitMs, pollMs: 50})
    const latest: Node = await getNode(client, cluster, node)
    return {cluster, node, capacity: latest.status?.capacity ?? capacityOf(object, {}), ready: outcome.ok, notReadyReason: outcome.ok ? undefined : outcome.reason}
  } finally {
    client.close()
  }
}
