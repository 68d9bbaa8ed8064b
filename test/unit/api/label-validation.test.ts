import {describe, expect, it} from 'vitest'
import {dns1123SubdomainErrors, labelKeyErrors, labelValueErrors} from '../../../src/cluster/api/label-validation.js'
import {isDNS1123Subdomain, isLabelValue, isQualifiedName} from '../../../src/cluster/apiserver/strategies/name-rules.js'

const KEY_RULE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"

describe('label validation', () => {
  it('accepts prefixed keys and refuses a name part past 63 characters', () => {
    expect(labelKeyErrors('app.kubernetes.io/name')).toEqual([])
    expect(labelKeyErrors(`x/${'a'.repeat(64)}`)).toEqual(['name part must be no more than 63 characters'])
  })

  it('words a key with two slashes as selector parsing does unless told otherwise', () => {
    expect(labelKeyErrors('a/b/c')).toEqual([`a qualified name ${KEY_RULE}`])
    expect(labelKeyErrors('a/b/c', 'a valid label key')).toEqual([`a valid label key ${KEY_RULE}`])
  })

  it('is the implementation the object validators use, with the metadata wording', () => {
    expect(isQualifiedName('a/b/c')).toEqual([`a valid label key ${KEY_RULE}`])
    expect(isQualifiedName('Bad_/x')).toEqual(labelKeyErrors('Bad_/x'))
    expect(isLabelValue('bad value!')).toEqual(labelValueErrors('bad value!'))
    expect(isDNS1123Subdomain('Web')).toEqual(dns1123SubdomainErrors('Web'))
  })

  it('accepts an empty label value and refuses one past 63 characters', () => {
    expect(labelValueErrors('')).toEqual([])
    expect(labelValueErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters'])
  })
})
