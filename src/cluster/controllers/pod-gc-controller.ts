// The pod garbage collector's orphan pass (pkg/controller/podgc): pods bound to a node that no longer
// exists are force-deleted, since no kubelet will ever finish them. It runs when a Node is deleted and
// once at start-up (the watch replays every Node then), over all pods at once: node deletions are rare
// and a per-pod trigger would cost a node lookup on every pod event.
import {resourceOfKind} from '../api/resources.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {logger} from '../log.js'
import type {Store} from '../store/store.js'
import {Controller} from './controller.js'
import type {Reconciler} from './reconciler.js'

const NODES = resourceOfKind('Node')
const PODS = resourceOfKind('Pod')
const ONLY_KEY = {name: 'orphaned-pods'}

export class PodGcReconciler implements Reconciler {
  readonly name = 'pod-garbage-collector'
  private readonly log = logger('pod-gc')

  constructor(private readonly registry: ObjectRegistry) {}

  async reconcile(): Promise<void> {
    const nodes = new Set((await this.registry.list(NODES)).items.map((n) => n.metadata.name!))
    const {items: pods} = await this.registry.list(PODS)
    for (const pod of pods) {
      const nodeName = (pod.spec as {nodeName?: string} | undefined)?.nodeName
      if (!nodeName || nodes.has(nodeName)) continue
      try {
        await this.registry.delete(PODS, pod.metadata.namespace, pod.metadata.name!, {gracePeriodSeconds: 0, preconditions: {uid: pod.metadata.uid}})
        this.log.info({pod: `${pod.metadata.namespace}/${pod.metadata.name}`, node: nodeName}, 'deleted pod of a node that no longer exists')
      } catch (error) {
        const code = (error as {code?: number}).code
        if (code !== 404 && code !== 409) throw error
      }
    }
  }
}

export function createPodGcController(deps: {store: Store; registry: ObjectRegistry}): Controller {
  return new Controller({
    store: deps.store,
    reconciler: new PodGcReconciler(deps.registry),
    // The first replayed Node (start-up) and every deletion trigger one pass; the queue folds bursts into one.
    sources: [{resource: NODES, keysFor: (_node, _r, event) => (event === 'MODIFIED' ? [] : [ONLY_KEY])}],
    workers: 1,
  })
}
