import {describe, expect, it} from 'vitest'
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isLabelValue,
  isQualifiedName,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from '../../../../src/cluster/apiserver/strategies/name-rules.js'

const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

describe('name rules', () => {
  it.each([
    ['subdomain accepts dotted lowercase names', isDNS1123Subdomain, 'web.example-1', []],
    ['subdomain refuses capitals', isDNS1123Subdomain, 'Web', [SUBDOMAIN]],
    ['subdomain refuses names past 253 characters', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
    ['label accepts lowercase names', isDNS1123Label, 'web-1', []],
    ['label says "must not contain dots" for a valid subdomain', isDNS1123Label, 'a.b', ['must not contain dots']],
    ['label refuses a trailing dash', isDNS1123Label, 'web-', [LABEL]],
    ['label refuses names past 63 characters', isDNS1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
    ['DNS-1035 label refuses a leading digit', isDNS1035Label, '1web', [DNS1035]],
    ['label value accepts the empty string', isLabelValue, '', []],
    ['label value refuses spaces and punctuation', isLabelValue, 'bad value!', [LABEL_VALUE]],
    ['qualified name accepts a prefixed key', isQualifiedName, 'app.kubernetes.io/name', []],
    ['qualified name refuses an empty prefix', isQualifiedName, '/name', ['prefix part must be non-empty']],
    ['qualified name refuses an empty name part', isQualifiedName, 'example.com/', ['name part must be non-empty', NAME_PART]],
    ['qualified name refuses a bad prefix', isQualifiedName, 'Bad_/x', [`prefix part ${SUBDOMAIN}`]],
    ['config key accepts dots and underscores', isConfigMapKey, 'app_config.yaml', []],
    ['config key refuses ".."', isConfigMapKey, '..', ["must not be '..'"]],
    ['config key refuses a slash', isConfigMapKey, 'a/b', ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
    ['port name refuses digits only', isValidPortName, '8080', ['must contain at least one letter (a-z)']],
    ['port name refuses double hyphens', isValidPortName, 'a--b', ['must not contain consecutive hyphens']],
    ['percent refuses a bare number', isValidPercent, '25', ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]],
  ] as const)('%s', (_title, fn, value, expected) => {
    expect(fn(value)).toEqual(expected)
  })

  it('accepts ports 1-65535 and refuses 0 and 65536', () => {
    expect(isValidPortNum(1)).toEqual([])
    expect(isValidPortNum(65535)).toEqual([])
    expect(isValidPortNum(0)).toEqual(['must be between 1 and 65535, inclusive'])
    expect(isValidPortNum(65536)).toEqual(['must be between 1 and 65535, inclusive'])
  })

  it('lets a generateName prefix end with a dash', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([])
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN])
  })
})
