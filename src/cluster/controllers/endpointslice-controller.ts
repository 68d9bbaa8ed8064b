// The EndpointSlice controller (pkg/controller/endpointslice): discovery.k8s.io/v1 slices for every
// Service with a selector, owned by the Service (the garbage collector removes them with it) and
// labelled kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by. What to write is
// planned by endpointslice-plan.ts; this file reads the state and applies the plan.
import type {Node, Pod, Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {RESOURCES, resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {WatchEventType} from '../apiserver/registry/watch.js'
import type {Store} from '../store/store.js'
import {Controller} from './controller.js'
import {SharedInformerFactory} from './informers/shared-informer-factory.js'
import type {SharedInformer} from './informers/shared-informer.js'
import {SERVICE_NAME_LABEL, SLICE_CONTROLLER_NAME, SLICE_MANAGED_BY_LABEL} from './endpointslice-desired.js'
import {planEndpointSlices} from './endpointslice-plan.js'
import type {ObjectKey, Reconciler} from './reconciler.js'
import {CONTROLLER_MANAGER, isNamespaceTerminating, lastChangeTriggerTime, podsOf, serviceSelector} from './service-endpoints.js'
import {ServicePodIndex} from './service-pod-index.js'

const SERVICES = resourceOfKind('Service')
const PODS = resourceOfKind('Pod')
const NODES = resourceOfKind('Node')
const SLICES = RESOURCES.find((r) => r.group === 'discovery.k8s.io' && r.kind === 'EndpointSlice')!

/** Some pods were left out of a Service's slices because their node does not exist (retried with back-off). */
export class PodsOnMissingNodesError extends Error {
  override name = 'PodsOnMissingNodesError'
  readonly code = 'PODS_ON_MISSING_NODES'
}

export class EndpointSliceReconciler implements Reconciler {
  readonly name = 'endpointslice-controller'

  /** Without `pods` (tests), pods are listed fresh from the store. */
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly pods?: SharedInformer,
  ) {}

  async reconcile(key: ObjectKey): Promise<void> {
    const namespace = key.namespace!
    const svc = (await this.registry.tryGet(SERVICES, namespace, key.name)) as Service | undefined
    // A deleted Service's slices go with it through their ownerReferences (garbage collector).
    if (!svc || !serviceSelector(svc)) return
    const pods = await podsOf(this.registry, svc, this.pods)
    const {items} = await this.registry.list(SLICES, namespace)
    const existing = (items as unknown as EndpointSlice[]).filter(
      (s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === key.name && s.metadata?.labels?.[SLICE_MANAGED_BY_LABEL] === SLICE_CONTROLLER_NAME && !s.metadata?.deletionTimestamp,
    )
    const plan = planEndpointSlices({service: svc, pods, existing, nodes: await this.nodesOf(pods), triggerTime: lastChangeTriggerTime(svc, pods)})
    for (const slice of plan.create) {
      try {
        await this.registry.create(SLICES, namespace, forStorage(slice) as unknown as KubeObject, {manager: CONTROLLER_MANAGER})
      } catch (error) {
        if (isNamespaceTerminating(error)) return
        throw error
      }
    }
    for (const slice of plan.update) await this.update(slice)
    for (const slice of plan.delete) await this.delete(slice)
    if (plan.skippedPods.length > 0) throw new PodsOnMissingNodesError(`pods on nodes that do not exist left out of ${namespace}/${key.name}: ${plan.skippedPods.join(', ')}`)
  }

  private async nodesOf(pods: Pod[]): Promise<Map<string, Node>> {
    const nodes = new Map<string, Node>()
    for (const name of new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => Boolean(n)))) {
      const node = await this.registry.tryGet(NODES, undefined, name)
      if (node) nodes.set(name, node as Node)
    }
    return nodes
  }

  private async update(slice: EndpointSlice): Promise<void> {
    const planned = forStorage(slice)
    try {
      await this.registry.update(
        SLICES,
        slice.metadata!.namespace,
        slice.metadata!.name!,
        (live) => {
          // Replaced by another slice of the same name meanwhile: the next reconcile sees it.
          if (live!.metadata.uid !== slice.metadata!.uid) return live!
          const meta = planned.metadata!
          live!.metadata = {...live!.metadata, labels: meta.labels, annotations: meta.annotations, ownerReferences: meta.ownerReferences}
          return {...live!, addressType: planned.addressType, endpoints: planned.endpoints, ports: planned.ports}
        },
        {manager: CONTROLLER_MANAGER},
      )
    } catch (error) {
      if ((error as {code?: number}).code !== 404) throw error
    }
  }

  private async delete(slice: EndpointSlice): Promise<void> {
    try {
      await this.registry.delete(SLICES, slice.metadata!.namespace, slice.metadata!.name!, {preconditions: {uid: slice.metadata!.uid}})
    } catch (error) {
      const code = (error as {code?: number}).code
      if (code !== 404 && code !== 409) throw error
    }
  }
}

/** Empty lists are stored as null, as the real server returns them (`endpoints: null` on a placeholder). */
function forStorage(slice: EndpointSlice): EndpointSlice {
  return {...slice, endpoints: slice.endpoints?.length ? slice.endpoints : (null as unknown as EndpointSlice['endpoints']), ports: slice.ports?.length ? slice.ports : (null as unknown as EndpointSlice['ports'])}
}

export interface EndpointSliceControllerDeps {
  store: Store
  registry: ObjectRegistry
  /** The control plane's shared informers (events, and the pods read on each sync). */
  informers?: SharedInformerFactory
}

/** Watches Services, their pods (through a selector index) and this controller's slices. */
export function createEndpointSliceController(deps: EndpointSliceControllerDeps): Controller {
  const index = new ServicePodIndex()
  const sliceKeys = (obj: KubeObject, _r: unknown, event: WatchEventType): ObjectKey[] => {
    const labels = obj.metadata.labels ?? {}
    if (event === 'MODIFIED' || labels[SLICE_MANAGED_BY_LABEL] !== SLICE_CONTROLLER_NAME || !labels[SERVICE_NAME_LABEL]) return []
    return [{namespace: obj.metadata.namespace, name: labels[SERVICE_NAME_LABEL]}]
  }
  const informers = deps.informers ?? new SharedInformerFactory(deps.store)
  return new Controller({
    store: deps.store,
    informers,
    reconciler: new EndpointSliceReconciler(deps.registry, informers.informerFor(PODS)),
    sources: [
      {resource: SERVICES, keysFor: index.serviceKeys},
      {resource: PODS, keysFor: index.podKeys},
      // A deleted slice is replaced; listing (ADDED) finds slices whose Service changed while down.
      {resource: SLICES, keysFor: sliceKeys},
    ],
    workers: 2,
  })
}
