// `kcluster node remove NAME`: what an administrator does before retiring a node. Cordon it, evict
// its pods through the Eviction API (so PodDisruptionBudgets and graceful termination apply), wait
// for them to go, then delete the Node; its kubelet stops when the control plane sees the deletion.
// A failed node's pods can never finish terminating, so they are left to the pod garbage collector,
// which force-deletes pods bound to a node that no longer exists.
import {setTimeout as sleep} from 'node:timers/promises'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {heartbeatStopped} from '../agent/node-spec.js'
import {KubeApiError, type HttpClient} from '../client/http-client.js'
import {ClusterError} from '../lifecycle/cluster-error.js'
import {connect} from '../lifecycle/open-cluster.js'
import {nameArg} from '../lifecycle/state-dir.js'
import {getNode, patchNode, podsOnNode, refuseFirstNode} from './node-api.js'

const POLL_MS = 200

export interface RemoveNodeOptions {
  /** How long to wait for the pods to terminate. */
  timeoutMs: number
  /** After the timeout, delete the remaining pods at once instead of failing. */
  force: boolean
  home?: string
}

export interface RemoveNodeResult {
  cluster: string
  node: string
  /** `namespace/name` of every pod evicted. */
  evicted: string[]
  /** Pods deleted without waiting (--force after the timeout). */
  forced: string[]
}

export async function removeNode(cluster: string, node: string, options: RemoveNodeOptions): Promise<RemoveNodeResult> {
  refuseFirstNode(cluster, node, 'removed')
  const {client} = await connect(cluster, options.home)
  try {
    const current = await getNode(client, cluster, node)
    const kubeletDown = heartbeatStopped(current)
    await patchNode(client, node, {spec: {unschedulable: true}})
    const evicted = new Set<string>()
    const forced: string[] = []
    const deadline = Date.now() + options.timeoutMs
    for (;;) {
      const pods = await podsOnNode(client, node)
      if (pods.length === 0 || kubeletDown) {
        for (const pod of pods) if (await evict(client, pod)) evicted.add(podName(pod))
        break
      }
      for (const pod of pods.filter((p) => !p.metadata?.deletionTimestamp)) if (await evict(client, pod)) evicted.add(podName(pod))
      if (Date.now() > deadline) {
        if (!options.force) {
          throw new ClusterError('Timeout', `node "${node}" still has ${pods.length} pod(s) after ${Math.round(options.timeoutMs / 1000)}s: ${pods.map(podName).slice(0, 5).join(', ')}`, {
            why: 'their eviction is refused (a PodDisruptionBudget) or their termination takes longer; the node stays cordoned',
            fix: `wait longer (--timeout 5m), or delete them at once: kcluster node remove ${node} --force${nameArg(cluster)}`,
          })
        }
        for (const pod of pods) {
          await deletePodNow(client, pod)
          forced.push(podName(pod))
        }
        break
      }
      await sleep(POLL_MS)
    }
    await client.request({method: 'DELETE', path: `/api/v1/nodes/${encodeURIComponent(node)}`})
    return {cluster, node, evicted: [...evicted], forced}
  } finally {
    client.close()
  }
}

function podName(pod: Pod): string {
  return `${pod.metadata?.namespace}/${pod.metadata?.name}`
}

/** True when the eviction was accepted; false when it must wait (429: a disruption budget) or the pod is gone. */
async function evict(client: HttpClient, pod: Pod): Promise<boolean> {
  const {namespace, name} = pod.metadata ?? {}
  try {
    await client.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/pods/${name}/eviction`,
      body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name, namespace}},
    })
    return true
  } catch (error) {
    if (error instanceof KubeApiError && (error.code === 429 || error.code === 404)) return false
    throw error
  }
}

async function deletePodNow(client: HttpClient, pod: Pod): Promise<void> {
  try {
    await client.request({method: 'DELETE', path: `/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}`, body: {apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0}})
  } catch (error) {
    if (!(error instanceof KubeApiError && error.code === 404)) throw error
  }
}
