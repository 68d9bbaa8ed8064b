// Applying one object with server-side apply as field manager `kcluster`, never forcing ownership
// (kubectl --server-side's default), and naming the outcome the way kubectl does:
// created (201), unchanged (resourceVersion equal to a GET just before), configured otherwise.
import {isDeepStrictEqual} from 'node:util'
import type {KubeObject} from '../api/types.js'
import {KubeApiError, type HttpClient} from '../client/http-client.js'
import {objectPath, type Discovery, type ResourceInfo} from './discovery.js'

export type ApplyAction = 'created' | 'configured' | 'unchanged'

export interface AppliedObject {
  /** `deployment.apps/web`, as kubectl prints it. */
  ref: string
  kind: string
  group: string
  name: string
  namespace?: string
  action: ApplyAction
  dryRun: boolean
}

export interface ApplyObjectOptions {
  /** `-n`: the namespace for namespaced objects that do not name one. */
  namespace?: string
  dryRun?: boolean
}

export const FIELD_MANAGER = 'kcluster'

/** Thrown for an object the CLI refuses before sending it (namespace mismatch). */
export class ApplyInputError extends Error {
  override name = 'ApplyInputError'
  constructor(message: string, readonly fix: string) {
    super(message)
  }
}

export async function applyObject(client: Pick<HttpClient, 'request'>, discovery: Discovery, input: KubeObject, options: ApplyObjectOptions = {}): Promise<AppliedObject> {
  const resource = await discovery.resourceFor(input.apiVersion!, input.kind!)
  const object = structuredClone(input)
  const name = object.metadata.name!
  let namespace: string | undefined
  if (resource.namespaced) {
    if (options.namespace && object.metadata.namespace && object.metadata.namespace !== options.namespace) {
      throw new ApplyInputError(
        `the namespace from the object ("${object.metadata.namespace}") does not match the namespace "${options.namespace}" given with -n`,
        `use -n ${object.metadata.namespace}, or remove metadata.namespace from the manifest`,
      )
    }
    namespace = object.metadata.namespace ?? options.namespace ?? 'default'
    object.metadata.namespace = namespace
  } else {
    delete object.metadata.namespace
  }

  const path = objectPath(resource, name, namespace)
  const before = await getIfExists(client, path)
  const dryRun = options.dryRun ?? false
  const response = await client.request<KubeObject>({
    method: 'PATCH',
    path,
    query: {fieldManager: FIELD_MANAGER, force: 'false', fieldValidation: 'Strict', dryRun: dryRun ? 'All' : undefined},
    contentType: 'application/apply-patch+yaml',
    // JSON is YAML, and it keeps strings such as "on" from turning into booleans on the server.
    body: JSON.stringify(object),
  })
  return {
    ref: refOf(resource, name),
    kind: resource.kind,
    group: resource.group,
    name,
    namespace,
    action: actionOf(response.status, before, response.body, dryRun),
    dryRun,
  }
}

async function getIfExists(client: Pick<HttpClient, 'request'>, path: string): Promise<KubeObject | undefined> {
  try {
    return (await client.request<KubeObject>({path})).body
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return undefined
    throw error
  }
}

function actionOf(status: number, before: KubeObject | undefined, after: KubeObject, dryRun: boolean): ApplyAction {
  if (status === 201 || !before) return 'created'
  if (!dryRun) return after?.metadata?.resourceVersion === before.metadata.resourceVersion ? 'unchanged' : 'configured'
  // A dry run never bumps the resourceVersion, so compare what the server would have stored.
  return isDeepStrictEqual(comparable(before), comparable(after)) ? 'unchanged' : 'configured'
}

function comparable(object: KubeObject): KubeObject {
  const {managedFields: _m, resourceVersion: _r, generation: _g, ...metadata} = object.metadata
  return {...object, metadata}
}

/** `deployment.apps/web`, `configmap/settings`. */
export function refOf(resource: Pick<ResourceInfo, 'kind' | 'group'>, name: string): string {
  const kind = resource.kind.toLowerCase()
  return `${resource.group ? `${kind}.${resource.group}` : kind}/${name}`
}
