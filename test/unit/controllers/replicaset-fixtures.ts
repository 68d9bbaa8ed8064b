// A real ObjectRegistry over an in-memory SQLite store, with the `default` namespace, plus builders
// for ReplicaSets and pods, for the ReplicaSet controller's unit tests.
import type {Pod} from 'kubernetes-types/core/v1.js'
import {RESOURCES} from '../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import type {ObjectRegistry} from '../../../src/cluster/apiserver/registry/object-registry.js'
import type {Clock} from '../../../src/cluster/clock.js'
import {rfc3339} from '../../../src/cluster/clock.js'

export const PODS = RESOURCES.find((r) => r.kind === 'Pod')!
export const REPLICASETS = RESOURCES.find((r) => r.kind === 'ReplicaSet')!

export {openTestRegistry, type TestRegistry} from '../../support/test-registry.js'

export function replicaSetManifest(name: string, replicas: number, extra: {minReadySeconds?: number; annotations?: Record<string, string>} = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {name},
    spec: {
      replicas,
      ...(extra.minReadySeconds ? {minReadySeconds: extra.minReadySeconds} : {}),
      selector: {matchLabels: {app: name}},
      template: {
        metadata: {labels: {app: name, tier: 'web'}, ...(extra.annotations ? {annotations: extra.annotations} : {})},
        spec: {containers: [{name: 'web', image: 'nginx:1.27'}]},
      },
    },
  }
}

export function podManifest(name: string, labels: Record<string, string>, metadata: Record<string, unknown> = {}): KubeObject {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, labels, ...metadata}, spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}
}

/** Pod fields a test sets directly, as the scheduler and kubelet would. */
export interface PodState {
  nodeName?: string
  phase?: string
  /** Ready since this time (the Ready condition's lastTransitionTime); absent = not ready. */
  readySince?: Date
  restarts?: number
  uid?: string
  creationTimestamp?: string
  annotations?: Record<string, string>
}

/** A plain Pod object (not stored) for the pure ranking and status functions. */
export function podObject(name: string, state: PodState = {}, labels: Record<string, string> = {app: 'x'}): Pod {
  return {
    metadata: {name, namespace: 'default', labels, uid: state.uid ?? name, creationTimestamp: state.creationTimestamp, annotations: state.annotations},
    spec: {containers: [{name: 'web'}], nodeName: state.nodeName},
    status: {
      phase: state.phase ?? 'Running',
      conditions: [{type: 'Ready', status: state.readySince ? 'True' : 'False', ...(state.readySince ? {lastTransitionTime: rfc3339(state.readySince)} : {})}],
      containerStatuses: [{name: 'web', image: '', imageID: '', ready: Boolean(state.readySince), restartCount: state.restarts ?? 0}],
    },
  }
}

/** Marks a stored pod Running (and Ready since `readySince`, when given) through /status. */
export async function setPodStatus(registry: ObjectRegistry, name: string, readySince?: Date): Promise<void> {
  await registry.update(
    PODS,
    'default',
    name,
    (live) => {
      live!.status = {
        phase: 'Running',
        conditions: [{type: 'Ready', status: readySince ? 'True' : 'False', lastTransitionTime: rfc3339(readySince ?? new Date(0))}],
      }
      return live!
    },
    {manager: 'test', subresource: 'status'},
  )
}
