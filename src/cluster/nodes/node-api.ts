// The handful of Node and Pod calls `kcluster node ...` makes, with API refusals turned into
// ClusterErrors that say what to do.
import type {Node, Pod} from 'kubernetes-types/core/v1.js'
import {KubeApiError, type HttpClient} from '../client/http-client.js'
import {ClusterError} from '../lifecycle/cluster-error.js'
import {nameArg} from '../lifecycle/state-dir.js'

export async function getNode(client: HttpClient, cluster: string, node: string): Promise<Node> {
  try {
    return await client.get<Node>(`/api/v1/nodes/${encodeURIComponent(node)}`)
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) {
      throw new ClusterError('InvalidInput', `node "${node}" does not exist in cluster "${cluster}"`, {fix: `list the nodes with: kubectl get nodes; add one with: kcluster node add ${node}${nameArg(cluster)}`, cause: error})
    }
    throw error
  }
}

export async function patchNode(client: HttpClient, node: string, patch: object): Promise<Node> {
  const response = await client.request<Node>({method: 'PATCH', path: `/api/v1/nodes/${encodeURIComponent(node)}`, body: patch, contentType: 'application/merge-patch+json'})
  return response.body
}

export async function podsOnNode(client: HttpClient, node: string): Promise<Pod[]> {
  const list = await client.get<{items: Pod[]}>('/api/v1/pods', {query: {fieldSelector: `spec.nodeName=${node}`}})
  return list.items
}

export function isReady(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

export function refuseFirstNode(cluster: string, node: string, verb: string): void {
  if (node === cluster) {
    throw new ClusterError('InvalidInput', `node "${node}" is the cluster's first node and cannot be ${verb}`, {
      why: 'the first node is where the control plane itself runs',
      fix: `${verb === 'removed' ? 'delete the whole cluster with: kcluster delete' : 'stop the whole cluster with: kcluster stop'}${nameArg(cluster)}`,
    })
  }
}
