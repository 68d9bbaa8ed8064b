// The core/v1 Event as client-go's recorder builds it (makeEvent + generateEvent in tools/record):
// a reference to the object, source {component, host}, count 1 and both timestamps at "now".
import type {KubeObject} from '../api/types.js'
import {rfc3339} from '../clock.js'

export type EventType = 'Normal' | 'Warning'

/** core/v1 ObjectReference; empty fields are left out, as Go's omitempty does. */
export interface ObjectReference {
  kind: string
  namespace?: string
  name: string
  uid?: string
  apiVersion?: string
  resourceVersion?: string
  fieldPath?: string
}

export interface EventSource {
  component: string
  host?: string
}

export interface CoreEvent extends KubeObject {
  apiVersion: 'v1'
  kind: 'Event'
  metadata: {name: string; namespace: string}
  involvedObject: ObjectReference
  reason: string
  message: string
  source: EventSource
  firstTimestamp: string
  lastTimestamp: string
  count: number
  type: EventType
  // metav1.MicroTime without omitempty: legacy events serialize it as null.
  eventTime: null
  reportingComponent: string
  reportingInstance: string
}

export class InvalidEventObjectError extends Error {
  override name = 'InvalidEventObjectError'
  readonly code = 'EVENT_OBJECT_INVALID'
}

/** ref.GetReference: what the event is about. Throws when the object has no kind or name. */
export function objectReference(obj: KubeObject, fieldPath?: string): ObjectReference {
  const name = obj.metadata?.name
  if (!obj.kind || !name) throw new InvalidEventObjectError(`cannot reference an object without kind and name (kind=${obj.kind ?? ''}, name=${name ?? ''})`)
  const ref: ObjectReference = {kind: obj.kind, name}
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace
  if (obj.metadata.uid) ref.uid = obj.metadata.uid
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion
  if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion
  if (fieldPath) ref.fieldPath = fieldPath
  return ref
}

/**
 * Event names are `<object name>.<unix nanoseconds in hex>`. Milliseconds are all a Date has, so
 * events within one millisecond take the following nanoseconds: names stay unique and ordered.
 * The sequence is shared by every namer in the process: the scheduler's and a kubelet's recorders
 * name events about the same pod in the same millisecond, and a per-recorder sequence gave both the
 * same name (the second create failed with AlreadyExists and the event was lost).
 */
export class EventNamer {
  private static last = 0n

  nameFor(objectName: string, at: Date): string {
    let nanos = BigInt(at.getTime()) * 1_000_000n
    if (nanos <= EventNamer.last) nanos = EventNamer.last + 1n
    EventNamer.last = nanos
    return `${objectName}.${nanos.toString(16)}`
  }
}

export interface EventFields {
  involvedObject: ObjectReference
  type: EventType
  reason: string
  message: string
  source: EventSource
}

/** A new Event (count 1) in the object's namespace, or `default` for cluster-scoped objects. */
export function makeEvent(fields: EventFields, name: string, at: Date): CoreEvent {
  const time = rfc3339(at)
  const source: EventSource = {component: fields.source.component}
  if (fields.source.host) source.host = fields.source.host
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {name, namespace: fields.involvedObject.namespace || 'default'},
    involvedObject: fields.involvedObject,
    reason: fields.reason,
    message: fields.message,
    source,
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
    type: fields.type,
    eventTime: null,
    reportingComponent: fields.source.component,
    reportingInstance: fields.source.host ?? '',
  }
}
