// The files of configMap, secret, downwardAPI and projected volumes (each plugin's MakePayload /
// CollectData): every key when no items are listed, otherwise the listed keys at their paths, modes
// from the item or the volume's defaultMode (0644). A missing optional source gives no files.
import type {
  ConfigMapProjection,
  DownwardAPIVolumeFile,
  KeyToPath,
  SecretProjection,
  Volume,
  VolumeProjection,
} from 'kubernetes-types/core/v1.js'
import {fieldRefValue, resourceFieldValue, type DownwardContext} from './downward-api.js'
import {optionalSource, type EnvSources, type SourceData} from './env-sources.js'
import type {Payload} from './volume-writer.js'

const DEFAULT_MODE = 0o644

export class VolumeSourceError extends Error {
  override name = 'VolumeSourceError'
  readonly code = 'VolumeSource'
}

/** Whether a volume's files come from API objects (and so are kept up to date by refreshVolumes). */
export function isProjectedKind(v: Volume): boolean {
  return Boolean(v.configMap ?? v.secret ?? v.downwardAPI ?? v.projected)
}

/** The volume's files; throws (with the kubelet's message) when a required source or key is missing. */
export async function volumePayload(v: Volume, sources: EnvSources, ctx: DownwardContext): Promise<Payload> {
  if (v.configMap) return configMapPayload(v.configMap, v.configMap.defaultMode, sources)
  if (v.secret) {
    const {secretName = '', items, optional, defaultMode} = v.secret
    return secretPayload({name: secretName, items, optional}, defaultMode, sources)
  }
  if (v.downwardAPI) return downwardPayload(v.downwardAPI.items ?? [], v.downwardAPI.defaultMode, ctx)
  if (v.projected) return projectedPayload(v.projected.sources ?? [], v.projected.defaultMode, sources, ctx)
  return new Map()
}

async function configMapPayload(ref: ConfigMapProjection, defaultMode: number | undefined, sources: EnvSources): Promise<Payload> {
  const data = await optionalSource(sources.configMap(ref.name ?? ''), ref.optional)
  return keyedPayload(data, ref.items, defaultMode, ref.optional, (key) => `configmap references non-existent config key: ${key}`)
}

async function secretPayload(ref: SecretProjection, defaultMode: number | undefined, sources: EnvSources): Promise<Payload> {
  const data = await optionalSource(sources.secret(ref.name ?? ''), ref.optional)
  return keyedPayload(data, ref.items, defaultMode, ref.optional, (key) => `references non-existent secret key: ${key}`)
}

function keyedPayload(data: SourceData | undefined, items: KeyToPath[] | undefined, defaultMode = DEFAULT_MODE, optional: boolean | undefined, missing: (key: string) => string): Payload {
  const payload: Payload = new Map()
  if (!data) return payload
  if (!items?.length) {
    for (const [key, value] of [...data.text, ...data.binary]) payload.set(key, {data: value, mode: defaultMode})
    return payload
  }
  for (const item of items) {
    const value = data.text.get(item.key) ?? data.binary.get(item.key)
    if (value === undefined) {
      if (optional) continue
      throw new VolumeSourceError(missing(item.key))
    }
    payload.set(item.path, {data: value, mode: item.mode ?? defaultMode})
  }
  return payload
}

function downwardPayload(items: DownwardAPIVolumeFile[], defaultMode = DEFAULT_MODE, ctx: DownwardContext): Payload {
  const payload: Payload = new Map()
  for (const item of items) {
    let value = ''
    if (item.fieldRef) value = fieldRefValue(item.fieldRef, ctx)
    else if (item.resourceFieldRef) value = resourceFieldValue(item.resourceFieldRef, ctx)
    payload.set(item.path, {data: Buffer.from(value), mode: item.mode ?? defaultMode})
  }
  return payload
}

/**
 * Sources merged in order, a later file at the same path winning. A serviceAccountToken source is the
 * pod's bound token (none without a token manager); clusterTrustBundle gives no file here.
 */
async function projectedPayload(projections: VolumeProjection[], defaultMode = DEFAULT_MODE, sources: EnvSources, ctx: DownwardContext): Promise<Payload> {
  const payload: Payload = new Map()
  for (const p of projections) {
    let part: Payload = new Map()
    if (p.configMap) part = await configMapPayload(p.configMap, defaultMode, sources)
    else if (p.secret) part = await secretPayload(p.secret, defaultMode, sources)
    else if (p.downwardAPI) part = downwardPayload(p.downwardAPI.items ?? [], defaultMode, ctx)
    else if (p.serviceAccountToken) {
      const token = await sources.serviceAccountToken(ctx.pod, p.serviceAccountToken)
      if (token !== undefined) part.set(p.serviceAccountToken.path, {data: Buffer.from(token), mode: defaultMode})
    }
    for (const [k, f] of part) payload.set(k, f)
  }
  return payload
}
