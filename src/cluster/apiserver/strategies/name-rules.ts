// String validators from k8s.io/apimachinery/pkg/util/validation (and api/validate/content), with the
// exact messages: kubectl prints them verbatim, and users search for them.
import {isIP} from 'node:net'
import {
  DNS1123_LABEL_FMT,
  DNS1123_SUBDOMAIN_FMT,
  dns1123SubdomainErrors,
  labelKeyErrors,
  labelValueErrors,
  maxLenError,
  regexError,
} from '../../api/label-validation.js'

// Label keys, label values and subdomains are checked in api/label-validation.ts, which selectors share.
export {maxLenError, regexError}
export const isDNS1123Subdomain = dns1123SubdomainErrors
export const isLabelValue = labelValueErrors

/** content.IsLabelKey (a.k.a. IsQualifiedName): `[prefix/]name`, worded as metadata validation words it. */
export function isQualifiedName(value: string): string[] {
  return labelKeyErrors(value, 'a valid label key')
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`
}

const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?'
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+'
const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
const PERCENT_FMT = '[0-9]+%'
const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'"

const whole = (fmt: string) => new RegExp(`^${fmt}$`)
const DNS1123_LABEL_RE = whole(DNS1123_LABEL_FMT)
const DNS1123_SUBDOMAIN_RE = whole(DNS1123_SUBDOMAIN_FMT)
const DNS1035_LABEL_RE = whole(DNS1035_LABEL_FMT)
const CONFIG_KEY_RE = whole(CONFIG_KEY_FMT)
const PERCENT_RE = whole(PERCENT_FMT)

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (value.length > 63) errs.push(maxLenError(63))
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a valid label can only be failing because of dots.
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'))
  }
  return errs
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (value.length > 63) errs.push(maxLenError(63))
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'))
  return errs
}

/** IsConfigMapKey: keys of ConfigMap/Secret data (they become file names in volumes). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = []
  if (value.length > 253) errs.push(maxLenError(253))
  if (!CONFIG_KEY_RE.test(value)) errs.push(regexError(CONFIG_KEY_MSG, CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'))
  if (value === '.') errs.push("must not be '.'")
  else if (value === '..') errs.push("must not be '..'")
  else if (value.startsWith('..')) errs.push("must not start with '..'")
  return errs
}

/** IANA_SVC_NAME: ≤15 chars of [-a-z0-9], at least one letter, no leading/trailing/double hyphens. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = []
  if (port.length > 15) errs.push(maxLenError(15))
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)')
  if (port.includes('--')) errs.push('must not contain consecutive hyphens')
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen')
  return errs
}

export function isValidPortNum(port: unknown): string[] {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)]
}

export function isValidPercent(value: string): string[] {
  return PERCENT_RE.test(value) ? [] : [regexError(PERCENT_MSG, PERCENT_FMT, '1%', '93%')]
}

/** IsValidIP as of 1.32 (strict parsing; the legacy leading-zero forms are refused too). */
export function isValidIP(value: string): string[] {
  return isIP(value) === 0 ? ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] : []
}

/** A name validator as the object-meta rules take it; `prefix` is true for generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[]

// generateName may end in '-' because random characters follow it.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name
}

export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name)
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name)
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name)
