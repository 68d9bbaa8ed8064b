// Content negotiation for responses: plain JSON, or a meta.k8s.io Table for `kubectl get`.
// Protobuf responses are not offered; clients that also accept JSON get JSON.
import {ApiError} from '../api/errors.js'

export type ResponseForm = {form: 'json'} | {form: 'table'; includeObject: 'None' | 'Metadata' | 'Object'}

export function negotiate(accept: string | undefined, query: URLSearchParams): ResponseForm {
  if (!accept) return {form: 'json'}
  const ranges = accept.split(',').map((r) => r.trim().toLowerCase())
  for (const range of ranges) {
    const [type, ...params] = range.split(';').map((p) => p.trim())
    const p = Object.fromEntries(params.map((x) => x.split('=').map((s) => s.trim())))
    if ((type === 'application/json' || type === 'application/*' || type === '*/*') && p.as === 'Table'.toLowerCase()) {
      if (p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) {
        const io = query.get('includeObject')
        const includeObject = io === 'None' || io === 'Object' ? io : 'Metadata'
        return {form: 'table', includeObject}
      }
      continue
    }
    if (p.as) continue
    if (type === 'application/json' || type === 'application/*' || type === '*/*' || type === 'application/yaml') return {form: 'json'}
  }
  throw new ApiError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io`)
}
