// `kcluster node fail|recover NAME`: stop or resume a simulated node's kubelet. Nothing else changes
// on the node: the node lifecycle controller notices the silence after its grace period, as it would
// for a real node that lost power, and taints and evicts from there.
import {HEARTBEAT_ANNOTATION, heartbeatStopped, SIMULATED_NODE_ANNOTATION} from '../agent/node-spec.js'
import {ClusterError} from '../lifecycle/cluster-error.js'
import {connect} from '../lifecycle/open-cluster.js'
import {getNode, patchNode, refuseFirstNode} from './node-api.js'

export interface HeartbeatResult {
  cluster: string
  node: string
  /** Whether the node already was in the asked state. */
  unchanged: boolean
}

export async function setNodeHeartbeat(cluster: string, node: string, running: boolean, home?: string): Promise<HeartbeatResult> {
  if (!running) refuseFirstNode(cluster, node, 'failed')
  const {client} = await connect(cluster, home)
  try {
    const current = await getNode(client, cluster, node)
    if (current.metadata?.annotations?.[SIMULATED_NODE_ANNOTATION] !== 'true' && node !== cluster) {
      throw new ClusterError('InvalidInput', `node "${node}" is not a kcluster node`, {why: 'only nodes kcluster runs a kubelet for can be failed or recovered', fix: 'add a simulated node with: kcluster node add NAME'})
    }
    if (heartbeatStopped(current) === !running) return {cluster, node, unchanged: true}
    await patchNode(client, node, {metadata: {annotations: {[HEARTBEAT_ANNOTATION]: running ? null : 'stopped'}}})
    return {cluster, node, unchanged: false}
  } finally {
    client.close()
  }
}
