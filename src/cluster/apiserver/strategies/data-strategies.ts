// ConfigMaps and Secrets (ValidateConfigMap/ValidateSecret and their updates): key format, the 1 MiB
// size limit, `immutable`, Secret type rules, and Secret.stringData folded into data as the v1
// conversion does (so stored Secrets never carry stringData).
import type {FieldError} from '../../api/errors.js'
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy} from './define-strategy.js'
import {forbidden, immutable, invalid, invalidEach, key, required, sameJson, tooLong, pushAll} from './field-errors.js'
import {isConfigMapKey, nameIsDNSSubdomain} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'

type Obj = Record<string, unknown>
const asObj = (v: unknown): Obj => (isPlainObject(v) ? v : {})
const META_RULES = {namespaced: true, name: nameIsDNSSubdomain}

export const MAX_DATA_SIZE = 1024 * 1024
const IMMUTABLE_MSG = 'field is immutable when `immutable` is set'

const base64Length = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').length : 0)

function validateKeys(data: Obj, field: string): FieldError[] {
  return Object.keys(data).flatMap((k) => invalidEach(key(field, k), k, isConfigMapKey(k)))
}

function validateConfigMap(obj: KubeObject): FieldError[] {
  const data = asObj(obj.data)
  const binary = asObj(obj.binaryData)
  const errs = [...validateObjectMeta(obj.metadata, META_RULES), ...validateKeys(data, 'data')]
  for (const k of Object.keys(data)) if (k in binary) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'))
  pushAll(errs, validateKeys(binary, 'binaryData'))
  const size = Object.values(data).reduce<number>((n, v) => n + Buffer.byteLength(String(v)), 0) + Object.values(binary).reduce<number>((n, v) => n + base64Length(v), 0)
  // Upstream reports the whole object, with an empty field path.
  if (size > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE))
  return errs
}

/** Once `immutable: true`, the flag and the listed data fields stay as they are. */
function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return []
  const errs: FieldError[] = []
  if (obj.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_MSG))
  for (const f of fields) if (!sameJson(obj[f], old[f])) errs.push(forbidden(f, IMMUTABLE_MSG))
  return errs
}

export const configMapStrategy = defineStrategy({
  hasStatus: false,
  validate: validateConfigMap,
  validateUpdate: (obj, old) => validateImmutableData(obj, old, ['data', 'binaryData']),
})

export function defaultSecret(obj: KubeObject): void {
  obj.type ||= 'Opaque'
  if (isPlainObject(obj.stringData)) {
    const data = {...asObj(obj.data)}
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString('base64')
    obj.data = data
  }
  delete obj.stringData
}

// Keys each built-in Secret type must carry (ValidateSecret).
function validateSecretType(obj: KubeObject, data: Obj): FieldError[] {
  const has = (k: string) => Object.hasOwn(data, k)
  switch (obj.type) {
    case 'kubernetes.io/service-account-token': {
      const annotation = 'kubernetes.io/service-account.name'
      return obj.metadata.annotations?.[annotation] ? [] : [required(key('metadata.annotations', annotation))]
    }
    case 'kubernetes.io/dockercfg':
      return has('.dockercfg') ? [] : [required('data[.dockercfg]')]
    case 'kubernetes.io/dockerconfigjson':
      return has('.dockerconfigjson') ? [] : [required('data[.dockerconfigjson]')]
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required('data[username]'), required('data[password]')]
    case 'kubernetes.io/ssh-auth':
      return base64Length(data['ssh-privatekey']) > 0 ? [] : [required('data[ssh-privatekey]')]
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [required('data[tls.crt]')]), ...(has('tls.key') ? [] : [required('data[tls.key]')])]
    default:
      return []
  }
}

function validateSecret(obj: KubeObject): FieldError[] {
  const data = asObj(obj.data)
  const errs = [...validateObjectMeta(obj.metadata, META_RULES), ...validateKeys(data, 'data')]
  const size = Object.values(data).reduce<number>((n, v) => n + base64Length(v), 0)
  if (size > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE))
  pushAll(errs, validateSecretType(obj, data))
  return errs
}

export const secretStrategy = defineStrategy({
  hasStatus: false,
  applyDefaults: defaultSecret,
  validate: validateSecret,
  validateUpdate: (obj, old) => [...immutable(obj.type, old.type, 'type'), ...validateImmutableData(obj, old, ['data'])],
})
