// The event recorder controllers and the node agent call: event() only queues (it never throws and
// never waits), and one pump correlates queued events in order and writes them through the registry,
// many at a time so the store batches them into few commits. Like client-go's broadcaster it drops
// events when its queue is full rather than slowing a reconcile.
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import {logger} from '../log.js'
import {EventCorrelator, type CorrelatorOptions} from './event-correlator.js'
import {EventNamer, makeEvent, objectReference, type CoreEvent, type EventFields, type EventSource, type EventType} from './event-object.js'

export type {EventType} from './event-object.js'

const EVENTS = resourceOfKind('Event')

export interface EventRecorderOptions {
  registry: Pick<ObjectRegistry, 'create' | 'update'>
  clock: Clock
  /** source.component and reportingComponent: `kubelet`, `default-scheduler`, `deployment-controller`. */
  component: string
  /** source.host and reportingInstance: the node name for the agent, absent for controllers. */
  host?: string
  /** Events waiting to be correlated before new ones are dropped (client-go: 1000). */
  maxQueued?: number
  /** Writes in flight at once. */
  maxInFlight?: number
  correlator?: Partial<CorrelatorOptions>
}

export interface EventOptions {
  /** The part of the object the event is about, e.g. `spec.containers{web}`. */
  fieldPath?: string
}

export interface RecorderStats {
  queued: number
  written: number
  /** Dropped because the queue was full. */
  dropped: number
  /** Suppressed by the spam filter. */
  filtered: number
  failed: number
}

interface Pending {
  fields: EventFields
  at: Date
}

type Write = {event: CoreEvent; update: boolean}

export class EventRecorder {
  private readonly log = logger('event-recorder')
  private readonly source: EventSource
  private readonly namer = new EventNamer()
  private readonly correlator: EventCorrelator
  private readonly queue: Pending[] = []
  private readonly inFlight = new Set<Promise<void>>()
  /** The last write per event name: writes of one event are chained so an update never overtakes its create. */
  private readonly chains = new Map<string, Promise<void>>()
  private pumping: Promise<void> | undefined
  private readonly counters = {written: 0, dropped: 0, filtered: 0, failed: 0}

  constructor(private readonly opts: EventRecorderOptions) {
    this.source = opts.host ? {component: opts.component, host: opts.host} : {component: opts.component}
    this.correlator = new EventCorrelator(this.namer, opts.correlator)
  }

  /** Record that something happened to obj. Returns at once; the write happens in the background. */
  event(obj: KubeObject, type: EventType, reason: string, message: string, opts: EventOptions = {}): void {
    try {
      const involvedObject = objectReference(obj, opts.fieldPath)
      if (this.queue.length >= (this.opts.maxQueued ?? 1000)) {
        this.counters.dropped++
        // The first drop and every thousandth after it: an overload must not also flood the log.
        if (this.counters.dropped % 1000 === 1)
          this.log.warn({dropped: this.counters.dropped, reason, object: `${involvedObject.kind}/${involvedObject.name}`}, 'event queue full; dropping events')
        return
      }
      this.queue.push({fields: {involvedObject, type, reason, message, source: this.source}, at: this.opts.clock.now()})
      this.kick()
    } catch (error) {
      this.log.warn({err: error, reason}, 'event not recorded')
    }
  }

  /** Resolves once everything queued before (and during) the call is written or given up on. */
  async flush(): Promise<void> {
    // Bounded: each round drains the queue; events queued meanwhile start one more round.
    while (this.pumping) await this.pumping
  }

  get stats(): RecorderStats {
    return {queued: this.queue.length, ...this.counters}
  }

  private kick(): void {
    if (this.pumping) return
    this.pumping = Promise.resolve()
      .then(() => this.pump())
      .catch((error: unknown) => this.log.error({err: error}, 'event pump failed'))
      .finally(() => {
        this.pumping = undefined
        if (this.queue.length > 0) this.kick()
      })
  }

  private async pump(): Promise<void> {
    const maxInFlight = this.opts.maxInFlight ?? 64
    while (this.queue.length > 0 || this.inFlight.size > 0) {
      if (this.queue.length === 0 || this.inFlight.size >= maxInFlight) {
        await Promise.race(this.inFlight)
        continue
      }
      const {fields, at} = this.queue.shift()!
      // Correlation runs in queue order, so counts and names do not depend on write timing.
      const correlation = this.correlator.correlate(makeEvent(fields, this.namer.nameFor(fields.involvedObject.name, at), at), at)
      if (correlation.skip) {
        this.counters.filtered++
        continue
      }
      this.startWrite(correlation)
    }
  }

  private startWrite(write: Write): void {
    const name = `${write.event.metadata.namespace}/${write.event.metadata.name}`
    const previous = this.chains.get(name) ?? Promise.resolve()
    const chained = previous.then(() => this.write(write))
    this.chains.set(name, chained)
    const tracked: Promise<void> = chained.finally(() => {
      if (this.chains.get(name) === chained) this.chains.delete(name)
      this.inFlight.delete(tracked)
    })
    this.inFlight.add(tracked)
  }

  // recordToSink: a repeat updates count, lastTimestamp and message of the stored event (the fields of
  // client-go's patch); if that event is gone (TTL), it is created again under the same name.
  private async write({event, update}: Write): Promise<void> {
    const {namespace, name} = event.metadata
    const manager = this.opts.component
    try {
      if (update) {
        try {
          const repeat = (live: KubeObject | undefined) => ({...live!, count: event.count, lastTimestamp: event.lastTimestamp, message: event.message})
          await this.opts.registry.update(EVENTS, namespace, name, repeat, {manager})
          this.counters.written++
          return
        } catch (error) {
          if ((error as {code?: unknown}).code !== 404) throw error
        }
      }
      await this.opts.registry.create(EVENTS, namespace, event, {manager})
      this.counters.written++
    } catch (error) {
      // Events are best effort: a terminating namespace or a store error loses this one, nothing else.
      this.counters.failed++
      this.log.warn({err: error, event: `${namespace}/${name}`, reason: event.reason}, 'event not written')
    }
  }
}
