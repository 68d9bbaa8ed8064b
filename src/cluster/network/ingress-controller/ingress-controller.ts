// The built-in Ingress controller: one HTTP and one HTTPS listener on 127.0.0.1 for every Ingress of
// class `kcluster` (docs/networking.md, "Ingress"). A Controller whose start() also binds the listeners
// and whose stop() closes them, so the control plane needs nothing beyond adding it to its list.
import type {KubeObject} from '../../api/types.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {Clock} from '../../clock.js'
import {Controller} from '../../controllers/controller.js'
import {SharedInformerFactory} from '../../controllers/informers/shared-informer-factory.js'
import {EventRecorder} from '../../events/recorder.js'
import {logger} from '../../log.js'
import type {Store} from '../../store/store.js'
import {startIngressServer, type IngressServer} from '../ingress/ingress-server.js'
import {SLICES_BY_SERVICE_INDEX, slicesByServiceIndex} from './ingress-backends.js'
import {createDefaultCertificate} from './ingress-default-certificate.js'
import {ingressResources, type IngressResources} from './ingress-resources.js'
import {IngressReconciler, ROUTES_KEY} from './ingress-reconciler.js'
import {DEFAULT_PORT_PAIRS, listenOnFirstFreePair, type PortPair} from './ingress-ports.js'
import type {IngressAddress} from './ingress-status.js'
import {TLS_SECRET_TYPE} from './ingress-tls-secrets.js'

export interface IngressControllerDeps {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  informers?: SharedInformerFactory
  /** The address both listeners bind: `127.0.0.1`. */
  listenHost: string
  /** Port pairs to try in order (default 80/443, 8080/8443, then 8081/8444 ...); tests pass `{http: 0, https: 0}`. */
  ports?: readonly PortPair[]
}

/** What `kcluster status` shows: where the listeners are, or why there are none. */
export type IngressListeners = {httpURL: string; httpsURL: string} | {error: string}

const log = logger('ingress-controller')
const onlyTlsSecrets = (obj: KubeObject) => ((obj as {type?: string}).type === TLS_SECRET_TYPE ? [ROUTES_KEY] : [])

export class IngressController extends Controller {
  private server?: IngressServer
  private failure?: string
  private listening?: Promise<IngressAddress | undefined>

  constructor(
    private readonly deps: IngressControllerDeps,
    private readonly reconciler: IngressReconciler | undefined,
    resources: IngressResources | undefined,
    informers: SharedInformerFactory,
  ) {
    super({
      store: deps.store,
      informers,
      reconciler: reconciler ?? {name: 'ingress-controller', reconcile: async () => undefined},
      sources: resources
        ? [
            {resource: resources.ingress, keysFor: () => [ROUTES_KEY]},
            {resource: resources.ingressClass, keysFor: () => [ROUTES_KEY]},
            {resource: resources.secret, keysFor: onlyTlsSecrets},
            // Read per request, never reconciled: subscribed so their caches are filled and kept.
            {resource: resources.service, keysFor: () => []},
            {resource: resources.endpointSlice, keysFor: () => []},
          ]
        : [],
      workers: 1,
    })
  }

  override start(): void {
    if (!this.reconciler) {
      this.failure = 'this API server does not serve networking.k8s.io/v1 Ingress and IngressClass'
      log.warn({reason: this.failure}, 'ingress controller idle')
      return
    }
    this.listening = this.listen(this.reconciler)
    super.start()
  }

  override async stop(): Promise<void> {
    await super.stop()
    await this.listening
    await this.server?.close()
    this.server = undefined
  }

  /** The listener address once bound. */
  address(): IngressAddress | undefined {
    return this.server ? {ip: this.deps.listenHost, httpPort: this.server.httpPort, httpsPort: this.server.httpsPort} : undefined
  }

  /** For `kcluster status`: the URLs, or why there are none (undefined while binding). */
  listeners(): IngressListeners | undefined {
    const address = this.address()
    if (address) return {httpURL: `http://${address.ip}:${address.httpPort}`, httpsURL: `https://${address.ip}:${address.httpsPort}`}
    return this.failure ? {error: this.failure} : undefined
  }

  private async listen(reconciler: IngressReconciler): Promise<IngressAddress | undefined> {
    try {
      // One default certificate for every port pair tried; RSA, see ingress-default-certificate.ts.
      const defaultCertificate = await createDefaultCertificate()
      this.server = await listenOnFirstFreePair(
        (pair) => startIngressServer({host: this.deps.listenHost, httpPort: pair.http, httpsPort: pair.https, routes: reconciler.routes, resolve: reconciler.resolve, tls: reconciler.tls, defaultCertificate}),
        this.deps.ports ?? DEFAULT_PORT_PAIRS,
      )
      return this.address()
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error)
      log.error({err: error}, 'ingress listeners not started')
      return undefined
    }
  }

  /** Used by the reconciler: waits for the bind to finish. */
  waitForAddress = (): Promise<IngressAddress | undefined> => this.listening ?? Promise.resolve(undefined)
}

/** The ingress controller, with its own listeners; idle (and saying why) when the Ingress API is not served. */
export function createIngressController(deps: IngressControllerDeps): IngressController {
  const informers = deps.informers ?? new SharedInformerFactory(deps.store)
  const resources = ingressResources()
  if (!resources) return new IngressController(deps, undefined, undefined, informers)
  const slices = informers.informerFor(resources.endpointSlice)
  slices.addIndexer(SLICES_BY_SERVICE_INDEX, slicesByServiceIndex)
  let controller: IngressController | undefined
  const reconciler = new IngressReconciler({
    registry: deps.registry,
    ingressResource: resources.ingress,
    caches: {
      ingresses: informers.informerFor(resources.ingress),
      ingressClasses: informers.informerFor(resources.ingressClass),
      secrets: informers.informerFor(resources.secret),
      services: informers.informerFor(resources.service),
      slices,
    },
    recorder: new EventRecorder({registry: deps.registry, clock: deps.clock, component: 'kcluster-ingress-controller'}),
    address: () => controller!.waitForAddress(),
  })
  controller = new IngressController(deps, reconciler, resources, informers)
  return controller
}

/** The ingress listeners among the control plane's controllers, for `kcluster status` (undefined: no ingress controller). */
export function ingressListenersOf(controllers: readonly Controller[]): IngressListeners | undefined {
  for (const c of controllers) if (c instanceof IngressController) return c.listeners()
  return undefined
}
