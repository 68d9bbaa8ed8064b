// labelSelector/fieldSelector query parameters as one predicate over objects.
import {parseFieldSelector, matchesFields} from '../api/field-selector.js'
import {parseLabelSelector, matchesLabels} from '../api/label-selector.js'
import type {ResourceType} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'

export function selectionFromQuery(r: ResourceType, query: URLSearchParams): ((obj: KubeObject) => boolean) | undefined {
  const labelText = query.get('labelSelector')
  const fieldText = query.get('fieldSelector')
  const labels = labelText ? parseLabelSelector(labelText) : undefined
  const fields = fieldText ? parseFieldSelector(fieldText, r) : undefined
  if (!labels && !fields) return undefined
  return (obj) => (!labels || matchesLabels(labels, obj.metadata.labels)) && (!fields || matchesFields(fields, obj))
}
