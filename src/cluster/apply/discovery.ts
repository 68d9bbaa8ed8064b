// Which REST resource serves a kind, asked of the API server's legacy per-group-version discovery
// (`GET /api/v1`, `GET /apis/<group>/<version>`), so kinds added to the server later need no CLI change.
import {KubeApiError, type HttpClient} from '../client/http-client.js'

export interface ResourceInfo {
  group: string
  version: string
  kind: string
  plural: string
  namespaced: boolean
}

interface APIResourceList {
  resources?: {name: string; kind: string; namespaced: boolean}[]
}

/** Thrown when the server does not serve the kind; the message is kubectl's wording. */
export class UnknownKindError extends Error {
  override name = 'UnknownKindError'
  readonly code = 'UnknownKind'
}

export class Discovery {
  private readonly lists = new Map<string, Promise<APIResourceList | undefined>>()

  constructor(private readonly client: Pick<HttpClient, 'get'>) {}

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) as [string, string] : ['', apiVersion]
    const list = await this.list(group, version)
    const found = list?.resources?.find((r) => !r.name.includes('/') && r.kind === kind)
    if (!found) {
      throw new UnknownKindError(list
        ? `no matches for kind "${kind}" in version "${apiVersion}"`
        : `the server does not serve ${apiVersion} (no matches for kind "${kind}")`)
    }
    return {group, version, kind, plural: found.name, namespaced: found.namespaced}
  }

  private list(group: string, version: string): Promise<APIResourceList | undefined> {
    const key = `${group}/${version}`
    let pending = this.lists.get(key)
    if (!pending) {
      const url = group ? `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}` : `/api/${encodeURIComponent(version)}`
      pending = this.client.get<APIResourceList>(url).catch((error: unknown) => {
        if (error instanceof KubeApiError && error.code === 404) return undefined
        throw error
      })
      // A failed lookup is not cached, so a transient error does not poison later documents.
      pending.catch(() => this.lists.delete(key))
      this.lists.set(key, pending)
    }
    return pending
  }
}

/** `/api/v1/namespaces/ns/configmaps/name` or `/apis/apps/v1/deployments/name` style paths. */
export function objectPath(resource: ResourceInfo, name: string, namespace?: string): string {
  const prefix = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  return `${prefix}${ns}/${resource.plural}/${encodeURIComponent(name)}`
}
