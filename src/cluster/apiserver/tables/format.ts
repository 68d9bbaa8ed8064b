// Cell formatting shared by the printers, mirroring the helpers in printers.go
// (translateTimestampSince, layoutContainerCells, labels.FormatLabels, metav1.FormatLabelSelector).
import type {Container} from 'kubernetes-types/core/v1.js'
import type {LabelSelector as LabelSelectorSpec} from 'kubernetes-types/meta/v1.js'
import {humanDuration} from '../../api/human-duration.js'
import {formatLabelSelector, labelSelectorFromSpec} from '../../api/label-selector.js'
import type {TableColumnDefinition} from './table.js'

// metav1.ObjectMeta{}.SwaggerDoc() texts, which the real server uses for these two columns on every kind.
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.'
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.'

/** A column as printers.go declares it: format and priority default to "" and 0. */
export function column(
  name: string,
  type: TableColumnDefinition['type'],
  description: string,
  extra: {format?: string; priority?: number} = {},
): TableColumnDefinition {
  return {name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0}
}

export const nameColumn = (): TableColumnDefinition => column('Name', 'string', NAME_DESCRIPTION, {format: 'name'})
export const ageColumn = (): TableColumnDefinition => column('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION)
export const wide = (c: TableColumnDefinition): TableColumnDefinition => ({...c, priority: 1})

const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z')

/** Milliseconds since epoch of an RFC3339 timestamp, or undefined for a missing/zero time. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const ms = Date.parse(value)
  // Go's zero time (0001-01-01T00:00:00Z) is what an unset metav1.Time decodes to.
  if (Number.isNaN(ms) || ms <= GO_ZERO_TIME) return undefined
  return ms
}

/** translateTimestampSince: `<unknown>` for an unset time, otherwise HumanDuration of the age. */
export function since(value: unknown, now: Date): string {
  const ms = parseTime(value)
  return ms === undefined ? '<unknown>' : humanDuration(now.getTime() - ms)
}

/** layoutContainerCells: container names and images, comma-joined in spec order. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const list = containers ?? []
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')]
}

/** labels.FormatLabels: `a=1,b=2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort()
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>'
}

/** metav1.FormatLabelSelector: `<none>` for nil/empty selectors, `<error>` for invalid ones. */
export function formatSelectorSpec(spec: LabelSelectorSpec | undefined | null): string {
  try {
    const text = formatLabelSelector(labelSelectorFromSpec(spec))
    return text === '' ? '<none>' : text
  } catch {
    return '<error>'
  }
}

/** Selector.String() of metav1.LabelSelectorAsSelector, `<invalid>` on error (Deployment's Selector cell). */
export function selectorString(spec: LabelSelectorSpec | undefined | null): string {
  try {
    return formatLabelSelector(labelSelectorFromSpec(spec))
  } catch {
    return '<invalid>'
  }
}

/** Number cells are JSON numbers (Go int64); absent counts print as 0. */
export const count = (n: number | undefined | null): number => n ?? 0
