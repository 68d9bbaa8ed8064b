// The ReplicaSet controller: the reconciler (replicaset-reconciler.ts) behind watches on ReplicaSets
// and Pods. A pod event wakes its controlling ReplicaSet (and the one that controlled it before, if
// that changed); an orphan pod wakes every ReplicaSet of its namespace whose selector matches it,
// found through a small index (namespace -> selectors) kept current from ReplicaSet events, so the
// predicate never touches the store. Events and pods come from the control plane's shared informers
// (deps.informers; a private factory when none is given).
import type {ReplicaSet} from 'kubernetes-types/apps/v1.js'
import {labelSelectorFromSpec, matchesLabels, type LabelSelector} from '../api/label-selector.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {WatchEventType} from '../apiserver/registry/watch.js'
import type {Clock} from '../clock.js'
import {EventRecorder} from '../events/recorder.js'
import type {Store} from '../store/store.js'
import {Controller} from './controller.js'
import {SharedInformerFactory} from './informers/shared-informer-factory.js'
import {CachedPods} from './replicaset-pod-cache.js'
import type {ObjectKey} from './reconciler.js'
import type {EventSink} from './replicaset-pod-control.js'
import {controllerOf} from './replicaset-pod-state.js'
import {ReplicaSetReconciler} from './replicaset-reconciler.js'

export type {EventSink} from './replicaset-pod-control.js'

const REPLICASETS = resourceOfKind('ReplicaSet')
const PODS = resourceOfKind('Pod')

export interface ReplicaSetControllerDeps {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  /** Where SuccessfulCreate/SuccessfulDelete (and failure) events go; default: an EventRecorder as `replicaset-controller`. */
  recorder?: EventSink
  /** Concurrent syncs (kube-controller-manager's --concurrent-replicaset-syncs, default 5). */
  workers?: number
  /** The control plane's shared informers (pods and ReplicaSets are read through them). */
  informers?: SharedInformerFactory
}

const isReplicaSetRef = (ref: {apiVersion: string; kind: string}) => ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')

/** Watch predicates for the controller, with the indexes they need. Exported for tests. */
export class ReplicaSetEventMapper {
  private readonly selectors = new Map<string, Map<string, LabelSelector>>()
  /** Pod (`ns/name`) -> the ReplicaSet that controlled it at its last event. */
  private readonly podController = new Map<string, string>()

  keysForReplicaSet(obj: KubeObject, event: WatchEventType): ObjectKey[] {
    const namespace = obj.metadata.namespace ?? ''
    const name = obj.metadata.name!
    const inNamespace = this.selectors.get(namespace) ?? new Map<string, LabelSelector>()
    inNamespace.delete(name)
    if (event !== 'DELETED') {
      try {
        inNamespace.set(name, labelSelectorFromSpec((obj as unknown as ReplicaSet).spec?.selector))
      } catch {
        // Unparsable selector: it adopts nothing, and its sync says why.
      }
    }
    if (inNamespace.size > 0) this.selectors.set(namespace, inNamespace)
    else this.selectors.delete(namespace)
    return [{namespace: obj.metadata.namespace, name}]
  }

  keysForPod(pod: KubeObject, event: WatchEventType): ObjectKey[] {
    const namespace = pod.metadata.namespace
    const id = `${namespace}/${pod.metadata.name}`
    const names = new Set<string>()
    const ref = controllerOf(pod)
    const current = ref && isReplicaSetRef(ref) ? ref.name : undefined
    if (current) names.add(current)
    // A pod whose controller changed (released, or re-owned) must wake the one it left.
    const previous = this.podController.get(id)
    if (previous && previous !== current) names.add(previous)
    if (current && event !== 'DELETED') this.podController.set(id, current)
    else this.podController.delete(id)
    if (!ref && event !== 'DELETED' && !pod.metadata.deletionTimestamp)
      for (const [name, selector] of this.selectors.get(namespace ?? '') ?? []) if (matchesLabels(selector, pod.metadata.labels)) names.add(name)
    return [...names].map((name) => ({namespace, name}))
  }
}

export function createReplicaSetController(deps: ReplicaSetControllerDeps): Controller {
  const mapper = new ReplicaSetEventMapper()
  const recorder = deps.recorder ?? new EventRecorder({registry: deps.registry, clock: deps.clock, component: 'replicaset-controller'})
  const informers = deps.informers ?? new SharedInformerFactory(deps.store)
  return new Controller({
    store: deps.store,
    informers,
    reconciler: new ReplicaSetReconciler({registry: deps.registry, clock: deps.clock, recorder, pods: new CachedPods(informers.informerFor(PODS)), replicaSets: informers.informerFor(REPLICASETS)}),
    sources: [
      {resource: REPLICASETS, keysFor: (obj, _r, event) => mapper.keysForReplicaSet(obj, event)},
      // Pods change in bursts (a scale-up, a node failing): one sync per ReplicaSet per 100 ms covers them.
      {resource: PODS, keysFor: (obj, _r, event) => mapper.keysForPod(obj, event), throttleMs: 100},
    ],
    workers: deps.workers ?? 5,
  })
}
