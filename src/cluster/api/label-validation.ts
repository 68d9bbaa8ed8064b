// Label key and value rules from k8s.io/apimachinery/pkg/util/validation (IsQualifiedName,
// IsValidLabelValue, IsDNS1123Subdomain), with the exact wording, because selector and metadata errors
// quote them. The object validators in apiserver/strategies/name-rules.ts build on these.

/** validation.RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`, odd spacing included. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`
  const listed = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('')
  return `${msg} (e.g. ${listed}regex used for validation is '${fmt}')`
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`
}

const whole = (fmt: string): RegExp => new RegExp(`^${fmt}$`)

export const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
export const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`
const DNS1123_SUBDOMAIN_RE = whole(DNS1123_SUBDOMAIN_FMT)
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const DNS1123_SUBDOMAIN_MAX = 253

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const QUALIFIED_NAME_RE = whole(QUALIFIED_NAME_FMT)
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const QUALIFIED_NAME_MAX = 63

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`
const LABEL_VALUE_RE = whole(LABEL_VALUE_FMT)
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const LABEL_VALUE_MAX = 63

/** validation.IsDNS1123Subdomain (object names, label key prefixes). Empty list = valid. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = []
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX))
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'))
  return errs
}

/**
 * How a key with two or more slashes is described: validation.IsQualifiedName (selector parsing) says
 * "a qualified name", content.IsLabelKey (metadata and spec validation) "a valid label key". The rule is the same.
 */
export type LabelKeyNoun = 'a qualified name' | 'a valid label key'

/** validation.IsQualifiedName: `[prefix/]name`, the rule for label keys. Empty list = valid. */
export function labelKeyErrors(key: string, noun: LabelKeyNoun = 'a qualified name'): string[] {
  const errs: string[] = []
  const parts = key.split('/')
  let name: string
  if (parts.length === 1) {
    name = parts[0]
  } else if (parts.length === 2) {
    const prefix = parts[0]
    name = parts[1]
    if (prefix.length === 0) errs.push('prefix part must be non-empty')
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`))
  } else {
    return [`${noun} ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  }
  if (name.length === 0) errs.push('name part must be non-empty')
  else if (name.length > QUALIFIED_NAME_MAX) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX)}`)
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`)
  return errs
}

/** validation.IsValidLabelValue: empty, or a qualified name part of at most 63 characters. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = []
  if (value.length > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX))
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'))
  return errs
}
