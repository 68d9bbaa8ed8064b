// The shared skeleton of every kind's strategy: status handling for kinds with a status subresource,
// and update validation = create validation + update-only rules, de-duplicated like ErrorList.ToAggregate.
// Strategies never touch metadata.uid, generation, resourceVersion or creationTimestamp, nor check
// name/namespace immutability: the generic layer (registry/object-meta.ts) owns those.
import {formatFieldError, type FieldError} from '../../api/errors.js'
import {cloneJson, type KubeObject} from '../../api/types.js'
import {validateObjectMetaUpdate} from './object-meta-validation.js'
import type {ResourceStrategy, StrategyContext} from './strategy.js'

export interface StrategyParts {
  /** The kind has a /status subresource: clients set status only there. */
  hasStatus: boolean
  applyDefaults?(obj: KubeObject): void
  /** Runs after a client-sent status was dropped. */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): Promise<void> | void
  /** Runs after status was reset to the old one. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> | void
  /** Extra work after everything but status and metadata was reset to the old object. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void
  validate(obj: KubeObject): FieldError[]
  /** Update-only rules (immutability); validate() and the metadata update rules run as well. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[]
}

export function defineStrategy(parts: StrategyParts): ResourceStrategy {
  return {
    applyDefaults(obj) {
      parts.applyDefaults?.(obj)
    },
    prepareForCreate(obj, ctx) {
      if (parts.hasStatus) delete obj.status
      return parts.prepareForCreate?.(obj, ctx)
    },
    prepareForUpdate(obj, old, ctx) {
      if (parts.hasStatus) keepField(obj, old, 'status')
      return parts.prepareForUpdate?.(obj, old, ctx)
    },
    prepareForStatusUpdate(obj, old) {
      // A status write may change status (and metadata the generic layer allows), nothing else.
      for (const k of new Set([...Object.keys(obj), ...Object.keys(old)]))
        if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') keepField(obj, old, k)
      parts.prepareForStatusUpdate?.(obj, old)
    },
    validate(obj) {
      return dedupe(parts.validate(obj))
    },
    validateUpdate(obj, old) {
      return dedupe([...validateObjectMetaUpdate(obj.metadata, old.metadata), ...parts.validate(obj), ...(parts.validateUpdate?.(obj, old) ?? [])])
    },
  }
}

/** obj[field] = old[field], absent when old lacks it. */
export function keepField(obj: Record<string, unknown>, old: Record<string, unknown>, field: string): void {
  if (old[field] === undefined) delete obj[field]
  else obj[field] = cloneJson(old[field])
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const text = formatFieldError(e)
    if (seen.has(text)) return false
    seen.add(text)
    return true
  })
}
