// Shapes responses take for the negotiated form: plain objects and lists, or Tables for `kubectl get`.
import type {ResourceType} from '../api/resources.js'
import {apiVersionOf} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ResponseForm} from './negotiation.js'
import {buildTable, tablePrinterFor} from './tables/index.js'

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io'

export function listBody(r: ResourceType, items: KubeObject[], resourceVersion: string, form: ResponseForm, now: Date): {body: unknown; contentType: string} {
  if (form.form === 'table') {
    const body = buildTable(tablePrinterFor(r), items, {now, includeObject: form.includeObject, resourceVersion, includeColumns: true})
    return {body, contentType: TABLE_CONTENT_TYPE}
  }
  // Items omit kind/apiVersion in lists, as the real server does for built-in kinds.
  const stripped = items.map(({kind: _k, apiVersion: _a, ...rest}) => rest)
  return {body: {kind: r.listKind, apiVersion: apiVersionOf(r), metadata: {resourceVersion}, items: stripped}, contentType: 'application/json'}
}

export function objectBody(r: ResourceType, obj: KubeObject, form: ResponseForm, now: Date): {body: unknown; contentType: string} {
  if (form.form === 'table') {
    const body = buildTable(tablePrinterFor(r), [obj], {
      now,
      includeObject: form.includeObject,
      resourceVersion: obj.metadata.resourceVersion ?? '',
      includeColumns: true,
    })
    return {body, contentType: TABLE_CONTENT_TYPE}
  }
  return {body: obj, contentType: 'application/json'}
}
