// The API server's event TTL (--event-ttl, 1 hour): an Event nobody has repeated for that long is
// deleted. Upstream it is an etcd lease refreshed on every write; here a controller compares the
// event's last occurrence with the clock and comes back when the remainder has passed.
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import {Controller} from '../controllers/controller.js'
import type {ObjectKey, ReconcileResult, Reconciler} from '../controllers/reconciler.js'
import type {Store} from '../store/store.js'

const EVENTS = resourceOfKind('Event')

export const DEFAULT_EVENT_TTL_MS = 3_600_000

export class EventTtlReconciler implements Reconciler {
  readonly name = 'event-ttl'

  constructor(
    private readonly registry: Pick<ObjectRegistry, 'tryGet' | 'delete'>,
    private readonly clock: Clock,
    private readonly ttlMs: number = DEFAULT_EVENT_TTL_MS,
  ) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | void> {
    const event = await this.registry.tryGet(EVENTS, key.namespace, key.name)
    if (!event) return
    const now = this.clock.now().getTime()
    // An event with no time at all (the registry always stamps creation) is kept one full TTL.
    const remaining = (lastOccurrence(event) ?? now) + this.ttlMs - now
    if (remaining > 0) return {requeueAfterMs: remaining}
    try {
      // The precondition keeps a repeat written since the read from being deleted with it.
      await this.registry.delete(EVENTS, key.namespace, key.name, {preconditions: {resourceVersion: event.metadata.resourceVersion}})
    } catch (error) {
      const code = (error as {code?: unknown}).code
      if (code === 404) return
      if (code === 409) return {requeueAfterMs: 0}
      throw error
    }
  }
}

/** When the event last happened, in ms: lastTimestamp, else the events.k8s.io fields, else creation. */
export function lastOccurrence(event: KubeObject): number | undefined {
  const e = event as {lastTimestamp?: string | null; eventTime?: string | null; series?: {lastObservedTime?: string}}
  for (const candidate of [e.lastTimestamp, e.series?.lastObservedTime, e.eventTime, event.metadata.creationTimestamp]) {
    const ms = candidate ? Date.parse(candidate) : NaN
    if (!Number.isNaN(ms)) return ms
  }
  return undefined
}

export function createEventTtlController(deps: {store: Store; registry: ObjectRegistry; clock: Clock}, ttlMs = DEFAULT_EVENT_TTL_MS): Controller {
  // An event is looked at when its TTL runs out, not when it is written: a kubelet writes four events
  // per pod, and reading each one back at once only to schedule the real check an hour later doubled
  // their cost. A deleted event needs nothing.
  const dueIn = (event: KubeObject) => (lastOccurrence(event) ?? deps.clock.now().getTime()) + ttlMs - deps.clock.now().getTime()
  return new Controller({
    store: deps.store,
    reconciler: new EventTtlReconciler(deps.registry, deps.clock, ttlMs),
    sources: [{resource: EVENTS, keysFor: (event, _r, type) => (type === 'DELETED' ? [] : [{namespace: event.metadata.namespace, name: event.metadata.name!}]), delayFor: dueIn}],
    workers: 1,
  })
}
