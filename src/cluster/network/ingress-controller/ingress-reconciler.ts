// The ingress controller's one reconcile: level-based over the whole class, like ingress-nginx's sync.
// Every change to an Ingress, an IngressClass or a TLS Secret queues the single key ROUTES_KEY; the
// reconcile rebuilds the route table and the certificates from the informer caches, swaps them in (the
// server reads them per request and per handshake), reports new problems as events and writes the
// listener address to the status of every Ingress served. Endpoints are not part of the table: the
// server resolves a backend on each request from the Service and EndpointSlice caches, so scaling and
// readiness take effect at once without a rebuild.
import type {Secret, Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import type {Ingress, IngressClass} from 'kubernetes-types/networking/v1.js'
import type {ResourceType} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {SharedInformer} from '../../controllers/informers/shared-informer.js'
import type {ObjectKey, Reconciler} from '../../controllers/reconciler.js'
import type {EventRecorder} from '../../events/recorder.js'
import {buildRouteTable, EMPTY_ROUTE_TABLE, type IngressBackendRef, type RouteTable} from '../ingress/ingress-routes.js'
import type {Endpoint} from '../ingress/ingress-server.js'
import type {IngressTlsEntry} from '../ingress/ingress-tls.js'
import {backendEndpoints, SLICES_BY_SERVICE_INDEX} from './ingress-backends.js'
import {ingressProblems, refKey, ReportedProblems, SyncAnnouncements} from './ingress-problems.js'
import {loadBalancerUpdate, type IngressAddress} from './ingress-status.js'
import {SecretChecks, tlsEntries} from './ingress-tls-secrets.js'

export const ROUTES_KEY: ObjectKey = {name: 'ingress-routes'}
export const INGRESS_MANAGER = 'kcluster-ingress-controller'

export interface IngressCaches {
  ingresses: SharedInformer
  ingressClasses: SharedInformer
  secrets: SharedInformer
  services: SharedInformer
  slices: SharedInformer
}

export interface IngressReconcilerDeps {
  registry: Pick<ObjectRegistry, 'update'>
  ingressResource: ResourceType
  caches: IngressCaches
  recorder: Pick<EventRecorder, 'event'>
  /** Resolves once the listeners are bound (undefined when they could not be: then no status is written). */
  address: () => Promise<IngressAddress | undefined>
  /** The IngressClass served (default `kcluster`). */
  className?: string
}

export class IngressReconciler implements Reconciler {
  readonly name = 'ingress-controller'
  private table: RouteTable = EMPTY_ROUTE_TABLE
  private certificates: readonly IngressTlsEntry[] = []
  private readonly secretChecks = new SecretChecks()
  private readonly reported = new ReportedProblems()
  private readonly announced = new SyncAnnouncements()

  constructor(private readonly deps: IngressReconcilerDeps) {}

  /** The current route table (the server calls this per request). */
  routes = (): RouteTable => this.table

  /** The current certificates (the server calls this per TLS handshake). */
  tls = (): readonly IngressTlsEntry[] => this.certificates

  /** A backend's endpoints from the caches, now. */
  resolve = (backend: IngressBackendRef): readonly Endpoint[] => {
    const {services, slices} = this.deps.caches
    const service = services.cache.get(backend.namespace, backend.service) as Service | undefined
    const serviceSlices = slices.cache.byIndex(SLICES_BY_SERVICE_INDEX, `${backend.namespace}/${backend.service}`) as unknown as EndpointSlice[]
    return backendEndpoints(backend, service, serviceSlices).endpoints
  }

  async reconcile(_key: ObjectKey): Promise<void> {
    const {caches, recorder} = this.deps
    const ingresses = caches.ingresses.cache.list() as Ingress[]
    const table = buildRouteTable({
      ingresses,
      ingressClasses: caches.ingressClasses.cache.list() as IngressClass[],
      className: this.deps.className,
      defaultClass: 'annotation',
    })
    const getSecret = (namespace: string, name: string) => caches.secrets.cache.get(namespace, name) as Secret | undefined
    const tls = tlsEntries(table.tls, getSecret, this.secretChecks)
    this.table = table
    this.certificates = tls.entries

    const byKey = new Map(ingresses.map((i) => [`${i.metadata?.namespace}/${i.metadata?.name}`, i]))
    const served = table.ingresses.flatMap((ref) => {
      const ingress = byKey.get(refKey(ref))
      return ingress ? [{ref, ingress, uid: ingress.metadata?.uid ?? '', generation: ingress.metadata?.generation ?? 0}] : []
    })
    for (const ref of this.announced.due(served)) recorder.event(asObject(byKey.get(refKey(ref))!), 'Normal', 'Sync', 'Scheduled for sync')
    for (const p of this.reported.fresh(ingressProblems(table, tls.problems), table.ingresses)) {
      const ingress = byKey.get(refKey(p.source))
      if (ingress) recorder.event(asObject(ingress), 'Warning', p.reason, p.message)
    }

    const address = await this.deps.address()
    if (!address) return
    const servedKeys = new Set(table.ingresses.map(refKey))
    const failures: unknown[] = []
    for (const [key, ingress] of byKey) {
      const update = loadBalancerUpdate(ingress, servedKeys.has(key), address)
      if (update) await this.writeStatus(ingress, update).catch((error: unknown) => failures.push(error))
    }
    // Retried with back-off by the Controller; the other Ingresses' writes are kept.
    if (failures.length > 0) throw new AggregateError(failures, `ingress status: ${failures.length} write(s) failed`)
  }

  private async writeStatus(ingress: Ingress, loadBalancer: NonNullable<Ingress['status']>['loadBalancer']): Promise<void> {
    const {namespace, name, uid} = ingress.metadata ?? {}
    try {
      await this.deps.registry.update(
        this.deps.ingressResource,
        namespace,
        name!,
        (live) => {
          // Deleted and made again under the same name: the next event brings the new one.
          if (!live || live.metadata.uid !== uid) return live!
          return {...live, status: {...(live.status as object | undefined), loadBalancer}} as KubeObject
        },
        {manager: INGRESS_MANAGER, subresource: 'status'},
      )
    } catch (error) {
      // Gone meanwhile: nothing to write.
      if ((error as {code?: number}).code !== 404) throw error
    }
  }
}

function asObject(ingress: Ingress): KubeObject {
  return {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...ingress} as KubeObject
}
