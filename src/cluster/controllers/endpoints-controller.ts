// The Endpoints controller (pkg/controller/endpoint): for every Service with a selector, an Endpoints
// of the same name listing its pods, ready ones in `addresses` and the others in `notReadyAddresses`.
// Endpoints carry no ownerReferences on a real cluster, so this controller deletes them itself when
// their Service goes; it only deletes Endpoints it manages (the managed-by label), so hand-written
// Endpoints of selector-less Services are left alone.
import type {Endpoints, Service} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {WatchEventType} from '../apiserver/registry/watch.js'
import type {Store} from '../store/store.js'
import {Controller} from './controller.js'
import {SharedInformerFactory} from './informers/shared-informer-factory.js'
import type {SharedInformer} from './informers/shared-informer.js'
import {desiredSubsets, sameSubsets, truncateSubsets} from './endpoints-subsets.js'
import type {ObjectKey, Reconciler} from './reconciler.js'
import {
  CONTROLLER_MANAGER,
  HEADLESS_LABEL,
  TRIGGER_TIME_ANNOTATION,
  isNamespaceTerminating,
  isServiceIPSet,
  lastChangeTriggerTime,
  podsOf,
  serviceSelector,
} from './service-endpoints.js'
import {ServicePodIndex} from './service-pod-index.js'

export const ENDPOINTS_MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by'
export const ENDPOINTS_CONTROLLER_NAME = 'endpoint-controller'
const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity'

const SERVICES = resourceOfKind('Service')
const ENDPOINTS = resourceOfKind('Endpoints')
const PODS = resourceOfKind('Pod')

export class EndpointsReconciler implements Reconciler {
  readonly name = 'endpoints-controller'

  /** Without `pods` (tests), pods are listed fresh from the store. */
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly pods?: SharedInformer,
  ) {}

  async reconcile(key: ObjectKey): Promise<void> {
    const namespace = key.namespace!
    // The API server keeps default/kubernetes pointing at itself (controlplane/bootstrap.ts).
    if (namespace === 'default' && key.name === 'kubernetes') return
    const svc = (await this.registry.tryGet(SERVICES, namespace, key.name)) as Service | undefined
    const current = (await this.registry.tryGet(ENDPOINTS, namespace, key.name)) as Endpoints | undefined
    if (!svc) {
      if (current?.metadata?.labels?.[ENDPOINTS_MANAGED_BY_LABEL] === ENDPOINTS_CONTROLLER_NAME) await this.deleteEndpoints(current)
      return
    }
    if (!serviceSelector(svc)) return
    const pods = await podsOf(this.registry, svc, this.pods)
    const {subsets, truncated} = truncateSubsets(desiredSubsets(svc, pods))
    const labels = endpointsLabels(svc)
    const overCapacityRight = truncated === (current?.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined)
    if (current && sameSubsets(current.subsets, subsets) && sameMap(current.metadata?.labels, labels) && overCapacityRight) return

    const trigger = lastChangeTriggerTime(svc, pods)
    const apply = (base: Endpoints | undefined): KubeObject => {
      const annotations: Record<string, string> = {...base?.metadata?.annotations}
      if (trigger) annotations[TRIGGER_TIME_ANNOTATION] = trigger
      else delete annotations[TRIGGER_TIME_ANNOTATION]
      if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated'
      else delete annotations[OVER_CAPACITY_ANNOTATION]
      const next = {...base, apiVersion: 'v1', kind: 'Endpoints', metadata: {...base?.metadata, name: key.name, namespace, labels, annotations}} as KubeObject
      if (subsets.length > 0) next.subsets = subsets
      else delete next.subsets
      return next
    }
    try {
      if (current) await this.registry.update(ENDPOINTS, namespace, key.name, (live) => apply(live as Endpoints), {manager: CONTROLLER_MANAGER})
      else await this.registry.create(ENDPOINTS, namespace, apply(undefined), {manager: CONTROLLER_MANAGER})
    } catch (error) {
      // Terminating namespace: creates keep failing until it is gone, and nothing is lost by stopping.
      if (isNamespaceTerminating(error)) return
      throw error
    }
  }

  private async deleteEndpoints(current: Endpoints): Promise<void> {
    try {
      await this.registry.delete(ENDPOINTS, current.metadata!.namespace, current.metadata!.name!, {preconditions: {uid: current.metadata!.uid}})
    } catch (error) {
      const code = (error as {code?: number}).code
      if (code !== 404 && code !== 409) throw error
    }
  }
}

/** The Service's labels, the controller's managed-by label, and the headless label when it has no cluster IP. */
export function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {...svc.metadata?.labels}
  delete labels[HEADLESS_LABEL]
  labels[ENDPOINTS_MANAGED_BY_LABEL] = ENDPOINTS_CONTROLLER_NAME
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = ''
  return labels
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const keys = Object.keys(a ?? {})
  return keys.length === Object.keys(b).length && keys.every((k) => a![k] === b[k])
}

export interface EndpointsControllerDeps {
  store: Store
  registry: ObjectRegistry
  /** The control plane's shared informers (events, and the pods read on each sync). */
  informers?: SharedInformerFactory
}

/** Watches Services, their pods (through a selector index) and Endpoints (re-created when deleted). */
export function createEndpointsController(deps: EndpointsControllerDeps): Controller {
  const index = new ServicePodIndex()
  const informers = deps.informers ?? new SharedInformerFactory(deps.store)
  return new Controller({
    store: deps.store,
    informers,
    reconciler: new EndpointsReconciler(deps.registry, informers.informerFor(PODS)),
    sources: [
      {resource: SERVICES, keysFor: index.serviceKeys},
      {resource: PODS, keysFor: index.podKeys},
      // Listing (ADDED) finds Endpoints whose Service went while the controller was down; a deletion
      // gets a selector Service's Endpoints written again.
      {resource: ENDPOINTS, keysFor: (obj: KubeObject, _r: unknown, event: WatchEventType) => (event === 'MODIFIED' ? [] : [{namespace: obj.metadata.namespace, name: obj.metadata.name!}])},
    ],
    workers: 2,
  })
}
