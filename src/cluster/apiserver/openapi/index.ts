// OpenAPI v3 for kubectl (root index + one document per group-version) and request-body decoding checks.
import {allDocuments, type OpenApiV3Document} from './document.js'

export {validateObject, type FieldValidation, type ValidateOptions, type ValidationResult} from './validate-object.js'
export type {GroupVersionKind, OpenApiSchema} from './schemas.js'
export type {OpenApiV3Document} from './document.js'

export interface OpenApiV3Root {
  paths: Record<string, {serverRelativeURL: string}>
}

let root: OpenApiV3Root | undefined

/** `GET /openapi/v3`: every served group-version with a content-hashed URL (kubectl caches by URL). */
export function openApiV3Root(): OpenApiV3Root {
  if (!root) {
    const paths: OpenApiV3Root['paths'] = {}
    for (const [gvPath, doc] of allDocuments()) paths[gvPath] = {serverRelativeURL: `/openapi/v3/${gvPath}?hash=${doc.hash}`}
    root = {paths}
  }
  return root
}

/** `GET /openapi/v3/<gvPath>` (`api/v1`, `apis/apps/v1`): the serialized document, or undefined if not served. */
export function openApiV3Document(gvPath: string): OpenApiV3Document | undefined {
  return allDocuments().get(gvPath.replace(/^\/+|\/+$/g, ''))
}
