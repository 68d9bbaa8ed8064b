// The table for kinds without a printer (pkg/registry/rest/table.go defaultTableConvertor):
// Name plus the raw creation time, which kubectl prints as `CREATED AT`.
import {CREATION_TIMESTAMP_DESCRIPTION, column, nameColumn, parseTime} from './format.js'
import type {TablePrinter} from './table.js'

/** time.Time.UTC().Format(time.RFC3339): whole seconds, `Z` suffix; an unset time is Go's zero time. */
function rfc3339(value: unknown): string {
  const ms = parseTime(value)
  if (ms === undefined) return '0001-01-01T00:00:00Z'
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export const defaultPrinter: TablePrinter = {
  columns: [nameColumn(), column('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION)],
  cells(obj) {
    return [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)]
  },
}
