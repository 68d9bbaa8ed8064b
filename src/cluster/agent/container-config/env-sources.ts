// ConfigMaps and Secrets as the kubelet's configmap/secret managers hand them out: read through the
// registry, Secret data base64-decoded, and a missing object reported with the managers' message
// (`configmap "x" not found`, `secret "s" not found`, singular resource names as in the kubelet).
// Service-account tokens come from the token manager beside them, when the agent has one.
import type {ConfigMap, Pod, Secret, ServiceAccountTokenProjection} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../../api/resources.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {ProjectedTokenSource} from './projected-tokens.js'

const CONFIGMAPS = resourceOfKind('ConfigMap')
const SECRETS = resourceOfKind('Secret')

export class SourceNotFoundError extends Error {
  override name = 'SourceNotFoundError'
  readonly code = 'NotFound'
}

export class TokenFetchError extends Error {
  override name = 'TokenFetchError'
  readonly code = 'TokenFetch'
}

/** A ConfigMap's or Secret's entries as bytes, keys in the object's order. */
export interface SourceData {
  /** String entries (ConfigMap.data, or every Secret key). */
  text: Map<string, Buffer>
  /** ConfigMap.binaryData, kept apart: env never reads it, volumes do. */
  binary: Map<string, Buffer>
}

/** Reads each source once per call, so every env var and volume of one start sees the same object. */
export class EnvSources {
  private readonly cache = new Map<string, Promise<SourceData>>()

  constructor(
    private readonly registry: Pick<ObjectRegistry, 'tryGet'>,
    private readonly namespace: string,
    /** Absent: serviceAccountToken projections give no file (simulated pods, API-only tests). */
    private readonly tokens?: ProjectedTokenSource,
  ) {}

  /** The pod's token for a serviceAccountToken projection; undefined without a token manager. */
  async serviceAccountToken(pod: Pod, projection: ServiceAccountTokenProjection): Promise<string | undefined> {
    if (!this.tokens) return undefined
    try {
      return await this.tokens.token(pod, projection)
    } catch (error) {
      throw new TokenFetchError(`failed to fetch token: ${error instanceof Error ? error.message : String(error)}`, {cause: error})
    }
  }

  configMap(name: string): Promise<SourceData> {
    return this.once(`configmap/${name}`, async () => {
      const cm = (await this.registry.tryGet(CONFIGMAPS, this.namespace, name)) as ConfigMap | undefined
      if (!cm) throw new SourceNotFoundError(`configmap "${name}" not found`)
      return {
        text: new Map(Object.entries(cm.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
        binary: new Map(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64')])),
      }
    })
  }

  secret(name: string): Promise<SourceData> {
    return this.once(`secret/${name}`, async () => {
      const secret = (await this.registry.tryGet(SECRETS, this.namespace, name)) as Secret | undefined
      if (!secret) throw new SourceNotFoundError(`secret "${name}" not found`)
      // Stored Secrets never hold stringData (the API server folds it into data), so data is all there is.
      return {text: new Map(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64')])), binary: new Map()}
    })
  }

  private once(key: string, load: () => Promise<SourceData>): Promise<SourceData> {
    let found = this.cache.get(key)
    if (!found) {
      found = load()
      this.cache.set(key, found)
    }
    return found
  }
}

/** The source, or undefined when it is missing and `optional` allows that; other failures propagate. */
export async function optionalSource(load: Promise<SourceData>, optional: boolean | undefined): Promise<SourceData | undefined> {
  try {
    return await load
  } catch (error) {
    if (optional && error instanceof SourceNotFoundError) return undefined
    throw error
  }
}
