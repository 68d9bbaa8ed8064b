// The controller that makes NodePort and LoadBalancer Services answer on the host (docs/networking.md,
// "From the host"): one key per Service, woken by the Service and by its EndpointSlices, so endpoint
// changes reach the listeners as soon as the shared informer sees them. Stopping it closes every
// listener, so the ports are free again when the control plane stops.
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {resourceOfKind} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {Clock} from '../../clock.js'
import {Controller, type ControllerOptions} from '../../controllers/controller.js'
import type {IndexFunc} from '../../controllers/informers/informer-cache.js'
import type {SharedInformerFactory} from '../../controllers/informers/shared-informer-factory.js'
import type {ObjectKey} from '../../controllers/reconciler.js'
import type {Store} from '../../store/store.js'
import {HostServicesReconciler, type HostServicesReconcilerOptions} from './host-services-reconciler.js'

const SERVICES = resourceOfKind('Service')
const SLICES = resourceOfKind('EndpointSlice')
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
/** EndpointSlices by `namespace/service` from their kubernetes.io/service-name label (kube-proxy's grouping). */
export const SLICES_BY_SERVICE_INDEX = 'host-services/slices-by-service'

const slicesByService: IndexFunc = (obj) => {
  const service = obj.metadata.labels?.[SERVICE_NAME_LABEL]
  return service ? [`${obj.metadata.namespace ?? ''}/${service}`] : []
}

export interface HostServicesControllerDeps {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  informers: SharedInformerFactory
  /** Where NodePorts and LoadBalancer ports listen: the host's loopback. */
  listenHost: string
  proxy?: HostServicesReconcilerOptions['proxy']
  retryMs?: number
}

/** A Controller whose stop() also closes the listeners it opened. */
export class HostServicesController extends Controller {
  constructor(
    options: ControllerOptions,
    readonly reconciler: HostServicesReconciler,
  ) {
    super(options)
  }

  override async stop(): Promise<void> {
    await super.stop()
    await this.reconciler.close()
  }
}

export function createHostServicesController(deps: HostServicesControllerDeps): HostServicesController {
  const services = deps.informers.informerFor(SERVICES)
  const slices = deps.informers.informerFor(SLICES)
  slices.addIndexer(SLICES_BY_SERVICE_INDEX, slicesByService)
  let controller: HostServicesController | undefined
  const reconciler = new HostServicesReconciler({
    registry: deps.registry,
    clock: deps.clock,
    services: services.cache,
    slicesOf: (serviceKey) => slices.cache.byIndex(SLICES_BY_SERVICE_INDEX, serviceKey) as unknown as EndpointSlice[],
    listenHost: deps.listenHost,
    wake: (key) => controller?.enqueue(key),
    proxy: deps.proxy,
    retryMs: deps.retryMs,
  })
  controller = new HostServicesController(
    {
      store: deps.store,
      informers: deps.informers,
      reconciler,
      sources: [
        // Every Service event: a type change away from NodePort/LoadBalancer must close its listeners.
        {resource: SERVICES},
        {resource: SLICES, keysFor: sliceServiceKeys},
      ],
      // One worker: every sync covers the whole table, and syncs are applied one at a time anyway.
      workers: 1,
    },
    reconciler,
  )
  return controller
}

function sliceServiceKeys(obj: KubeObject): ObjectKey[] {
  const service = obj.metadata.labels?.[SERVICE_NAME_LABEL]
  return service ? [{namespace: obj.metadata.namespace, name: service}] : []
}
