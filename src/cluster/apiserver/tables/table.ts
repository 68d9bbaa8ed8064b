// Server-side Tables (meta.k8s.io/v1) for `kubectl get`: column definitions and cells per kind,
// matching kubernetes/pkg/printers/internalversion/printers.go.
import type {KubeObject} from '../../api/types.js'

export interface TableColumnDefinition {
  name: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date'
  format: string
  description: string
  priority: number
}

export interface TablePrinter {
  columns: TableColumnDefinition[]
  /** One cell per column, in order; `now` is used for ages. */
  cells(obj: KubeObject, now: Date): unknown[]
}
