// Creating and deleting a ReplicaSet's pods, as controller_utils' RealPodControl does: pods from the
// template with generateName `<rs>-` and a controller reference, created in slow-start batches
// (1, 2, 4, ...) so a failing create (quota, admission) fails once instead of N times, and
// SuccessfulCreate/SuccessfulDelete events on the ReplicaSet.
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {OwnerReference} from 'kubernetes-types/meta/v1.js'
import type {ReplicaSet} from 'kubernetes-types/apps/v1.js'
import {ApiError} from '../api/errors.js'
import {resourceOfKind} from '../api/resources.js'
import {cloneJson, type KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'

export const MANAGER = 'kube-controller-manager'
/** burstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500

const PODS = resourceOfKind('Pod')

/** The slice of an event recorder this controller uses (src/cluster/events provides one). */
export interface EventSink {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void
}

export function controllerReference(rs: ReplicaSet): OwnerReference {
  return {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name!, uid: rs.metadata!.uid!, controller: true, blockOwnerDeletion: true}
}

/** GetPodFromTemplate: labels, annotations, finalizers and spec from the template. */
export function podFromTemplate(rs: ReplicaSet): KubeObject {
  const template = rs.spec?.template ?? {}
  const meta = template.metadata ?? {}
  const metadata: KubeObject['metadata'] = {generateName: `${rs.metadata!.name}-`, namespace: rs.metadata!.namespace, ownerReferences: [controllerReference(rs)]}
  if (meta.labels && Object.keys(meta.labels).length > 0) metadata.labels = {...meta.labels}
  if (meta.annotations && Object.keys(meta.annotations).length > 0) metadata.annotations = {...meta.annotations}
  if (meta.finalizers && meta.finalizers.length > 0) metadata.finalizers = [...meta.finalizers]
  return {apiVersion: 'v1', kind: 'Pod', metadata, spec: cloneJson(template.spec ?? {})}
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The namespace is going away: creating more pods is pointless, and not a failure (as upstream). */
function namespaceTerminating(error: unknown): boolean {
  return error instanceof ApiError && (error.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')
}

/** Told about every pod this controller wrote (what the registry returned), for read-your-writes. */
export type WriteObserver = (written: KubeObject) => void

export class ReplicaSetPodControl {
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly recorder?: EventSink,
  ) {}

  /** Creates up to `count` pods; returns the first error (after which no further batch starts). */
  async createPods(rs: ReplicaSet, count: number, signal: AbortSignal, onWrite?: WriteObserver): Promise<Error | undefined> {
    let remaining = Math.min(count, BURST_REPLICAS)
    // Bounded: batches double, so at most log2(BURST_REPLICAS) + 1 rounds.
    for (let batch = Math.min(remaining, 1); batch > 0 && !signal.aborted; batch = Math.min(2 * batch, remaining)) {
      const results = await Promise.allSettled(Array.from({length: batch}, () => this.createPod(rs, onWrite)))
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
      if (failed) return namespaceTerminating(failed.reason) ? undefined : (failed.reason as Error)
      remaining -= batch
    }
    return undefined
  }

  private async createPod(rs: ReplicaSet, onWrite?: WriteObserver): Promise<void> {
    const obj = rs as unknown as KubeObject
    const pod = podFromTemplate(rs)
    if (!pod.metadata.labels) {
      const error = new Error('unable to create pods, no labels')
      this.recorder?.event(obj, 'Warning', 'FailedCreate', `Error creating: ${error.message}`)
      throw error
    }
    try {
      const created = await this.registry.create(PODS, rs.metadata!.namespace, pod, {manager: MANAGER})
      onWrite?.(created)
      this.recorder?.event(obj, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`)
    } catch (error) {
      if (!namespaceTerminating(error)) this.recorder?.event(obj, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`)
      throw error
    }
  }

  /** Deletes the given pods in parallel; pods already gone are not an error. */
  async deletePods(rs: ReplicaSet, pods: Pod[], onWrite?: WriteObserver): Promise<Error | undefined> {
    const results = await Promise.allSettled(pods.slice(0, BURST_REPLICAS).map((pod) => this.deletePod(rs, pod, onWrite)))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    return failed?.reason as Error | undefined
  }

  private async deletePod(rs: ReplicaSet, pod: Pod, onWrite?: WriteObserver): Promise<void> {
    const obj = rs as unknown as KubeObject
    try {
      // The uid precondition keeps a same-named replacement safe from a decision about its predecessor.
      const {object} = await this.registry.delete(PODS, pod.metadata!.namespace, pod.metadata!.name!, {preconditions: {uid: pod.metadata!.uid}})
      onWrite?.(object)
      this.recorder?.event(obj, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`)
    } catch (error) {
      const code = (error as {code?: number}).code
      if (code === 404 || code === 409) return
      this.recorder?.event(obj, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`)
      throw error
    }
  }
}
