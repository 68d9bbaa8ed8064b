// Assembles the meta.k8s.io/v1 Table the real server returns for `Accept: ...;as=Table`
// (printers TableGenerator.GenerateTable + handlers/response.go asTable): one row per object, the row
// object reduced to PartialObjectMetadata unless includeObject says otherwise.
import type {KubeObject} from '../../api/types.js'
import {badRequest} from '../../api/errors.js'
import type {TableColumnDefinition, TablePrinter} from './table.js'

/** metav1.TableRowCondition. */
export interface TableRowCondition {
  type: string
  status: string
  reason?: string
  message?: string
}

/** A printer that also marks rows (Pods: `Completed` once Succeeded or Failed). */
export interface RowConditionsPrinter extends TablePrinter {
  conditions(obj: KubeObject): TableRowCondition[] | undefined
}

export type IncludeObject = 'None' | 'Metadata' | 'Object'

export interface BuildTableOptions {
  now: Date
  includeObject: IncludeObject
  /** The list's resourceVersion (or the single object's). */
  resourceVersion: string
  /** false for watch events after the first: the real server omits headers there. */
  includeColumns: boolean
  continue?: string
  /** Stamped on row objects that lack them when includeObject is `Object`. */
  objectType?: {apiVersion: string; kind: string}
}

export interface TableRow {
  cells: unknown[]
  conditions?: TableRowCondition[]
  object?: Record<string, unknown>
}

export interface Table {
  kind: 'Table'
  apiVersion: 'meta.k8s.io/v1'
  metadata: {resourceVersion: string; continue?: string}
  columnDefinitions?: TableColumnDefinition[]
  rows: TableRow[]
}

/** The `?includeObject=` value, defaulting to Metadata; anything else is the real server's 400. */
export function parseIncludeObject(value: string | null | undefined): IncludeObject {
  if (value === null || value === undefined || value === '') return 'Metadata'
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value
  throw badRequest(`unrecognized includeObject value: ${JSON.stringify(value)}`)
}

function rowObject(obj: KubeObject, opts: BuildTableOptions): Record<string, unknown> | undefined {
  switch (opts.includeObject) {
    case 'None':
      return undefined
    case 'Object':
      return opts.objectType ? {...opts.objectType, ...obj} : {...obj}
    case 'Metadata':
      return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata}
  }
}

function hasConditions(printer: TablePrinter): printer is RowConditionsPrinter {
  return typeof (printer as Partial<RowConditionsPrinter>).conditions === 'function'
}

export function buildTable(printer: TablePrinter, objects: KubeObject[], opts: BuildTableOptions): Table {
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = {cells: printer.cells(obj, opts.now)}
    const conditions = hasConditions(printer) ? printer.conditions(obj) : undefined
    if (conditions) row.conditions = conditions
    const object = rowObject(obj, opts)
    if (object) row.object = object
    return row
  })
  const metadata: Table['metadata'] = {resourceVersion: opts.resourceVersion}
  if (opts.continue) metadata.continue = opts.continue
  // Key order as the real server emits it: kind, apiVersion, metadata, columnDefinitions, rows.
  const columns = opts.includeColumns ? {columnDefinitions: printer.columns} : {}
  return {kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, ...columns, rows}
}
