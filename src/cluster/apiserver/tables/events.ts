// The core/v1 Event table (printEvent in printers.go). `kubectl events` builds its own table
// client-side; this one serves `kubectl get events`.
import type {Event} from 'kubernetes-types/core/v1.js'
import {column, nameColumn, parseTime, since, wide} from './format.js'
import type {TablePrinter} from './table.js'

/** formatEventSource: component (or reportingController), then `, host` (or reportingInstance) if any. */
export function eventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || ''
  const instance = ev.source?.host || ev.reportingInstance || ''
  return instance ? `${component}, ${instance}` : component
}

export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    column('Object', 'string', 'The object that this event is about.'),
    wide(column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].')),
    wide(column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.')),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    wide(column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)')),
    wide(column('Count', 'string', 'The number of times this event has occurred.')),
    wide(nameColumn()),
  ],
  cells(obj, now) {
    const ev = obj as unknown as Event
    const firstSeen = parseTime(ev.firstTimestamp) !== undefined ? since(ev.firstTimestamp, now) : since(ev.eventTime, now)
    let lastSeen = parseTime(ev.lastTimestamp) !== undefined ? since(ev.lastTimestamp, now) : firstSeen
    let count = ev.count ?? 0
    if (ev.series) {
      lastSeen = since(ev.series.lastObservedTime, now)
      count = ev.series.count ?? 0
    } else if (count === 0) {
      // Singleton events from the events.k8s.io API carry no count.
      count = 1
    }
    const kind = (ev.involvedObject?.kind ?? '').toLowerCase()
    const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind
    return [
      lastSeen,
      ev.type ?? '',
      ev.reason ?? '',
      target,
      ev.involvedObject?.fieldPath ?? '',
      eventSource(ev),
      (ev.message ?? '').trim(),
      firstSeen,
      count,
      ev.metadata?.name ?? '',
    ]
  },
}
