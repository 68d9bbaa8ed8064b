// Field selectors: the grammar of k8s.io/apimachinery/pkg/fields (with `\,` `\=` `\\` escapes), the
// per-kind field label conversions of pkg/apis/*/v1/conversion.go (which decide what is accepted
// and the error text), and the per-kind ToSelectableFields of pkg/registry (what values match).
import {badRequest} from './errors.js'
import type {KubeObject} from './types.js'

export interface FieldRequirement {
  field: string
  /** `==` is parsed to `=`; fields.Selector has only equal and not-equal terms. */
  operator: '=' | '!='
  value: string
}

export interface FieldSelector {
  /** ANDed. */
  requirements: readonly FieldRequirement[]
  /** The kind the selector was parsed for; it decides which values an object exposes. */
  kind: GroupKind
}

export interface GroupKind {
  group: string
  kind: string
}

type FieldGetter = (obj: KubeObject) => string

interface KindFields {
  fields: Record<string, FieldGetter>
  /** Deprecated names the conversion rewrites (`spec.host` → `spec.nodeName`). */
  aliases?: Record<string, string>
}

// Untyped field access on JSON objects; a missing field selects as the empty string, like fields.Set.Get.
function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

const str = (path: string): FieldGetter => (obj) => {
  const v = at(obj, path)
  return v === undefined || v === null ? '' : String(v)
}
const bool = (path: string): FieldGetter => (obj) => String(at(obj, path) === true)
const int = (path: string): FieldGetter => (obj) => String(typeof at(obj, path) === 'number' ? at(obj, path) : 0)

const NAME: Record<string, FieldGetter> = {'metadata.name': str('metadata.name')}
const META: Record<string, FieldGetter> = {...NAME, 'metadata.namespace': str('metadata.namespace')}

function firstPodIP(obj: KubeObject): string {
  const ips = at(obj, 'status.podIPs')
  if (Array.isArray(ips) && ips.length > 0) return str('ip')(ips[0] as KubeObject)
  return str('status.podIP')(obj)
}

function eventSource(obj: KubeObject): string {
  return str('source.component')(obj) || str('reportingComponent')(obj)
}

// Keys are `group/kind`. Kinds with their own conversion func answer `field label not supported: X`;
// every other kind gets runtime.DefaultMetaV1FieldSelectorConversion (name and namespace only).
const KINDS: Record<string, KindFields> = {
  '/Pod': {
    fields: {
      ...META,
      'spec.nodeName': str('spec.nodeName'),
      'spec.restartPolicy': str('spec.restartPolicy'),
      'spec.schedulerName': str('spec.schedulerName'),
      'spec.serviceAccountName': str('spec.serviceAccountName'),
      'spec.hostNetwork': bool('spec.hostNetwork'),
      'status.phase': str('status.phase'),
      'status.podIP': firstPodIP,
      // Accepted by the conversion but absent from the pod's selectable set: it only matches "".
      'status.podIPs': () => '',
      'status.nominatedNodeName': str('status.nominatedNodeName'),
    },
    aliases: {'spec.host': 'spec.nodeName'},
  },
  // Node accepts no metadata.namespace: the real conversion rejects it.
  '/Node': {fields: {...NAME, 'spec.unschedulable': bool('spec.unschedulable')}},
  '/Namespace': {fields: {...NAME, 'status.phase': str('status.phase')}},
  '/Secret': {fields: {...META, type: str('type')}},
  '/Service': {fields: {...META, 'spec.clusterIP': str('spec.clusterIP'), 'spec.type': str('spec.type')}},
  '/Event': {
    fields: {
      ...META,
      'involvedObject.kind': str('involvedObject.kind'),
      'involvedObject.namespace': str('involvedObject.namespace'),
      'involvedObject.name': str('involvedObject.name'),
      'involvedObject.uid': str('involvedObject.uid'),
      'involvedObject.apiVersion': str('involvedObject.apiVersion'),
      'involvedObject.resourceVersion': str('involvedObject.resourceVersion'),
      'involvedObject.fieldPath': str('involvedObject.fieldPath'),
      reason: str('reason'),
      reportingComponent: str('reportingComponent'),
      source: eventSource,
      type: str('type'),
    },
  },
  'apps/ReplicaSet': {fields: {...META, 'status.replicas': int('status.replicas')}},
}

function kindFields(kind: GroupKind): KindFields | undefined {
  const key = `${kind.group}/${kind.kind}`
  return Object.hasOwn(KINDS, key) ? KINDS[key] : undefined
}

/** Resolves a field label for `kind`, or throws the 400 the real conversion func would. */
function convertField(kind: GroupKind, field: string): string {
  const spec = kindFields(kind)
  if (!spec) {
    if (Object.hasOwn(META, field)) return field
    throw badRequest(`${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`)
  }
  if (spec.aliases && Object.hasOwn(spec.aliases, field)) return spec.aliases[field]
  if (Object.hasOwn(spec.fields, field)) return field
  throw badRequest(`field label not supported: ${field}`)
}

/** Commas split terms unless escaped; the backslash stays for unescapeValue. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return []
  const terms: string[] = []
  let start = 0
  let inSlash = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inSlash) inSlash = false
    else if (c === '\\') inSlash = true
    else if (c === ',') {
      terms.push(text.slice(start, i))
      start = i + 1
    }
  }
  terms.push(text.slice(start))
  return terms
}

// `==` is tried before `=` so it does not leave a leading `=` on the value.
const TERM_OPERATORS = ['!=', '==', '='] as const

function splitTerm(term: string): {lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string} | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return {lhs: term.slice(0, i), op, rhs: term.slice(i + op.length)}
    }
  }
  return undefined
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s
  let out = ''
  let inSlash = false
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`)
      out += c
      inSlash = false
    } else if (c === '\\') {
      inSlash = true
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point number.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`)
    } else {
      out += c
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\')
  return out
}

/** fields.ParseSelector plus the kind's field label conversion. Throws ApiError 400 BadRequest. */
export function parseFieldSelector(text: string, kind: GroupKind): FieldSelector {
  const parts = splitTerms(text).sort()
  const parsed: FieldRequirement[] = []
  for (const part of parts) {
    if (part === '') continue
    const term = splitTerm(part)
    if (!term) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`)
    parsed.push({field: term.lhs, operator: term.op === '!=' ? '!=' : '=', value: unescapeValue(term.rhs)})
  }
  // Conversion runs after the whole string parsed, as Selector.Transform does.
  return {requirements: parsed.map((r) => ({...r, field: convertField(kind, r.field)})), kind}
}

/** The field set an object is matched against (ToSelectableFields); unknown kinds get name and namespace. */
export function selectableFields(obj: KubeObject, kind: GroupKind): Record<string, string> {
  const getters = kindFields(kind)?.fields ?? META
  return Object.fromEntries(Object.entries(getters).map(([field, get]) => [field, get(obj)]))
}

/** Selector.Matches against the object's selectable fields; an empty selector matches everything. */
export function matchesFields(sel: FieldSelector, obj: KubeObject): boolean {
  if (sel.requirements.length === 0) return true
  const set = selectableFields(obj, sel.kind)
  return sel.requirements.every((r) => {
    const actual = Object.hasOwn(set, r.field) ? set[r.field] : ''
    return r.operator === '=' ? actual === r.value : actual !== r.value
  })
}

/** Whether the selector restricts nothing; handlers can skip matching. */
export function isEmptyFieldSelector(sel: FieldSelector): boolean {
  return sel.requirements.length === 0
}
