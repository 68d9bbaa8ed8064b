// Keeps the host's listeners for one Service in line with it: the Service's entries (host-entries.ts)
// join the table of every Service's entries, the ProxyTable opens, updates and closes proxies to
// match, and a LoadBalancer Service's status follows what is listening. A port that cannot be bound
// is a Warning event on its Service and is retried until it can be.
import type {Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {resourceOfKind} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {Clock} from '../../clock.js'
import type {InformerCache} from '../../controllers/informers/informer-cache.js'
import type {ObjectKey, ReconcileResult, Reconciler} from '../../controllers/reconciler.js'
import {EventRecorder} from '../../events/recorder.js'
import {logger} from '../../log.js'
import type {ProxyListenError} from '../proxy/listen-error.js'
import {ProxyTable, type ProxyTableOptions} from '../proxy/proxy-table.js'
import {hostEntriesFor, type HostEntry} from './host-entries.js'
import {desiredLoadBalancerStatus, hasIngress, listenFailureMessage, loadBalancerStatusDiffers} from './load-balancer-status.js'

const SERVICES = resourceOfKind('Service')

/** Field manager of status writes, and the component of load balancer events (the cloud-provider's). */
export const LB_STATUS_MANAGER = 'cloud-controller-manager'
export const LB_EVENT_COMPONENT = 'service-controller'
/** Component of NodePort events: node ports are kube-proxy's on a real node. */
export const NODE_PORT_EVENT_COMPONENT = 'kube-proxy'
/** cloud-provider's reasons, which tools that wait for load balancers look for. */
export const REASON_LB_FAILED = 'SyncLoadBalancerFailed'
export const REASON_LB_ENSURED = 'EnsuredLoadBalancer'
/** A NodePort the host could not open. */
export const REASON_NODE_PORT_FAILED = 'FailedToListen'
/** How soon a Service with an unbound port tries again (the port may be freed by anyone, unseen). */
export const LISTEN_RETRY_MS = 5_000

export interface HostServicesReconcilerOptions {
  registry: ObjectRegistry
  clock: Clock
  services: InformerCache
  /** The EndpointSlices of a Service `namespace/name`. */
  slicesOf: (serviceKey: string) => EndpointSlice[]
  listenHost: string
  /** Wakes another Service's key (one whose port a change here freed). */
  wake?: (key: ObjectKey) => void
  proxy?: Pick<ProxyTableOptions, 'connectTimeoutMs' | 'udpIdleTimeoutMs' | 'maxUdpFlows'>
  /** How soon a Service with an unbound port tries again (default LISTEN_RETRY_MS). */
  retryMs?: number
}

export class HostServicesReconciler implements Reconciler {
  readonly name = 'host-services-controller'
  private readonly log = logger('host-services')
  private readonly table: ProxyTable
  /** Every Service's entries, by `namespace/name`: the whole table each sync brings the proxies to. */
  private readonly desired = new Map<string, HostEntry[]>()
  private readonly byKey = new Map<string, HostEntry>()
  private readonly lbEvents: EventRecorder
  private readonly nodePortEvents: EventRecorder

  constructor(private readonly opts: HostServicesReconcilerOptions) {
    this.table = new ProxyTable({...opts.proxy, clock: opts.clock, onListenError: (key, error) => this.listenFailed(key, error)})
    this.lbEvents = new EventRecorder({registry: opts.registry, clock: opts.clock, component: LB_EVENT_COMPONENT})
    this.nodePortEvents = new EventRecorder({registry: opts.registry, clock: opts.clock, component: NODE_PORT_EVENT_COMPONENT})
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult | void> {
    const serviceKey = `${key.namespace}/${key.name}`
    const svc = this.opts.services.get(key.namespace, key.name) as Service | undefined
    const entries = svc ? hostEntriesFor(svc, this.opts.slicesOf(serviceKey), this.opts.listenHost) : []
    if (entries.length > 0) this.desired.set(serviceKey, entries)
    else this.desired.delete(serviceKey)
    const all = [...this.desired.values()].flat()
    this.byKey.clear()
    for (const e of all) this.byKey.set(e.key, e)
    const result = await this.table.sync(all)
    if (result.opened.length + result.closed.length + result.failed.length > 0) this.log.debug({service: serviceKey, ...result, failed: result.failed.map((f) => f.key)}, 'host listeners synced')
    // A port this sync bound for another Service (freed by a deletion here) changes that Service's status.
    for (const opened of result.opened) {
      const owner = this.byKey.get(opened)?.service
      if (owner && owner !== serviceKey) this.opts.wake?.(keyOf(owner))
    }
    if (svc) await this.writeStatus(svc, entries)
    const failing = this.table.failures()
    if (entries.some((e) => failing.has(e.key))) return {requeueAfterMs: this.opts.retryMs ?? LISTEN_RETRY_MS}
  }

  /** Host listeners currently bound, by entry key (for status and tests). */
  listening(): string[] {
    return this.table.keys()
  }

  /** Closes every listener and writes the events still queued. */
  async close(): Promise<void> {
    await this.table.close()
    await Promise.all([this.lbEvents.flush(), this.nodePortEvents.flush()])
  }

  private async writeStatus(svc: Service, entries: HostEntry[]): Promise<void> {
    const held = new Set(this.table.keys())
    const desired = desiredLoadBalancerStatus(svc, entries, (k) => held.has(k), this.opts.listenHost)
    if (!desired || !loadBalancerStatusDiffers(svc.status?.loadBalancer, desired)) return
    let wrote = false
    const apply = (live: KubeObject | undefined): KubeObject => {
      const current = live as Service
      // Decided again on the live object: the cache may not show our last write yet.
      if (current.metadata?.uid !== svc.metadata?.uid || !loadBalancerStatusDiffers(current.status?.loadBalancer, desired)) return live!
      wrote = true
      return {...current, status: {...current.status, loadBalancer: desired}} as KubeObject
    }
    try {
      await this.opts.registry.update(SERVICES, svc.metadata!.namespace, svc.metadata!.name!, apply, {manager: LB_STATUS_MANAGER, subresource: 'status'})
    } catch (error) {
      // Deleted meanwhile: the deletion wakes this key again, and then there is nothing to write.
      if ((error as {code?: unknown}).code === 404) return
      throw error
    }
    if (wrote && hasIngress(desired)) this.lbEvents.event(svc as KubeObject, 'Normal', REASON_LB_ENSURED, 'Ensured load balancer')
  }

  private listenFailed(key: string, error: ProxyListenError): void {
    const entry = this.byKey.get(key)
    if (!entry) return
    const [namespace, name] = splitKey(entry.service)
    const svc = this.opts.services.get(namespace, name)
    this.log.warn({service: entry.service, key, code: error.code}, 'host listener could not be opened')
    if (!svc) return
    const message = listenFailureMessage(entry, error)
    if (entry.role === 'LoadBalancer') this.lbEvents.event(svc, 'Warning', REASON_LB_FAILED, message)
    else this.nodePortEvents.event(svc, 'Warning', REASON_NODE_PORT_FAILED, message)
  }
}

function splitKey(serviceKey: string): [string, string] {
  const slash = serviceKey.indexOf('/')
  return [serviceKey.slice(0, slash), serviceKey.slice(slash + 1)]
}

function keyOf(serviceKey: string): ObjectKey {
  const [namespace, name] = splitKey(serviceKey)
  return {namespace, name}
}
