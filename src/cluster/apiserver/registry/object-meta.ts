// The metadata rules the generic layer owns for every kind: uid, creationTimestamp, generateName,
// generation, and which metadata fields a write may not change.
import {randomUUID, randomInt} from 'node:crypto'
import {badRequest, type FieldError} from '../../api/errors.js'
import type {ResourceType} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import {rfc3339} from '../../clock.js'
import {jsonEqual} from './codec.js'

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** generateName + 5 random characters, like k8s.io/apiserver's SimpleNameGenerator. */
export function generatedName(base: string): string {
  const prefix = base.length > 58 ? base.slice(0, 58) : base
  let suffix = ''
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)]
  return prefix + suffix
}

/** Namespace handling for a request: default from the URL, reject disagreement, drop for cluster kinds. */
export function reconcileNamespace(r: ResourceType, obj: KubeObject, urlNamespace: string | undefined): void {
  if (r.scope === 'Cluster') {
    delete obj.metadata.namespace
    return
  }
  const bodyNamespace = obj.metadata.namespace
  if (bodyNamespace && urlNamespace && bodyNamespace !== urlNamespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
  obj.metadata.namespace = bodyNamespace || urlNamespace
}

/** Stamp a new object: fresh uid, creation time, generation 1 for spec-bearing kinds. */
export function stampForCreate(r: ResourceType, obj: KubeObject, now: Date): void {
  const m = obj.metadata
  m.uid = randomUUID()
  m.creationTimestamp = rfc3339(now)
  delete m.resourceVersion
  delete m.deletionTimestamp
  delete m.deletionGracePeriodSeconds
  if (r.hasGeneration) m.generation = 1
  else delete m.generation
  if (m.finalizers?.length === 0) delete m.finalizers
}

/** Carry over what a client may not change on update, and bump generation when the spec changed. */
export function carryOverForUpdate(r: ResourceType, obj: KubeObject, old: KubeObject): FieldError[] {
  const m = obj.metadata
  const o = old.metadata
  const errors: FieldError[] = []
  if (m.name !== o.name) errors.push({type: 'FieldValueInvalid', field: 'metadata.name', value: m.name, detail: 'field is immutable'})
  m.uid = o.uid
  m.creationTimestamp = o.creationTimestamp
  m.deletionTimestamp = o.deletionTimestamp
  m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds
  if (o.deletionTimestamp === undefined) delete m.deletionTimestamp
  if (o.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds
  if (m.finalizers?.length === 0) delete m.finalizers
  if (o.deletionTimestamp) {
    const added = (m.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f))
    if (added.length > 0)
      errors.push({type: 'FieldValueForbidden', field: 'metadata.finalizers', detail: `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`})
  }
  if (r.hasGeneration) {
    m.generation = o.generation ?? 1
    if (specChanged(obj, old)) m.generation += 1
  } else {
    delete m.generation
  }
  return errors
}

/** Anything outside metadata and status changed. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const {metadata: _ma, status: _sa, ...restA} = a
  const {metadata: _mb, status: _sb, ...restB} = b
  return !jsonEqual(restA, restB)
}
