import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../src/cluster/api/errors.js'
import {
  formatLabelSelector, isEmptySelector, labelSelectorFromSpec, matchesLabels, parseLabelSelector,
} from '../../../src/cluster/api/label-selector.js'

function parseError(text: string): ApiError {
  try {
    parseLabelSelector(text)
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`)
}

const QNAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

describe('parseLabelSelector grammar', () => {
  it('treats an empty string as select-everything', () => {
    const sel = parseLabelSelector('')
    expect(isEmptySelector(sel)).toBe(true)
    expect(matchesLabels(sel, undefined)).toBe(true)
  })

  it('ANDs equality and inequality terms, with a missing key satisfying !=', () => {
    const sel = parseLabelSelector('app=web,tier!=be')
    expect(matchesLabels(sel, {app: 'web', tier: 'fe'})).toBe(true)
    expect(matchesLabels(sel, {app: 'web'})).toBe(true)
    expect(matchesLabels(sel, {app: 'web', tier: 'be'})).toBe(false)
    expect(matchesLabels(sel, {tier: 'fe'})).toBe(false)
  })

  it('accepts == as equality and keeps it when printed', () => {
    const sel = parseLabelSelector('app==web')
    expect(matchesLabels(sel, {app: 'web'})).toBe(true)
    expect(formatLabelSelector(sel)).toBe('app==web')
  })

  it('supports set-based in / notin with whitespace around tokens', () => {
    const sel = parseLabelSelector('  env in ( prod , staging ) ,  tier notin (cache)')
    expect(matchesLabels(sel, {env: 'prod', tier: 'web'})).toBe(true)
    expect(matchesLabels(sel, {env: 'staging'})).toBe(true)
    expect(matchesLabels(sel, {env: 'dev'})).toBe(false)
    expect(matchesLabels(sel, {env: 'prod', tier: 'cache'})).toBe(false)
  })

  it('supports existence and non-existence', () => {
    const sel = parseLabelSelector('app,!canary')
    expect(matchesLabels(sel, {app: ''})).toBe(true)
    expect(matchesLabels(sel, {app: 'x', canary: 'true'})).toBe(false)
    expect(matchesLabels(sel, {})).toBe(false)
  })

  it('supports integer gt / lt comparisons', () => {
    const sel = parseLabelSelector('rank>5,rank<10')
    expect(matchesLabels(sel, {rank: '7'})).toBe(true)
    expect(matchesLabels(sel, {rank: '5'})).toBe(false)
    expect(matchesLabels(sel, {rank: 'x'})).toBe(false)
  })

  it('reads in and notin as plain values inside parentheses', () => {
    const sel = parseLabelSelector('mode in (in,notin)')
    expect(matchesLabels(sel, {mode: 'notin'})).toBe(true)
  })

  it('prints the documented example the way apimachinery does: sorted keys and values, empty values kept', () => {
    expect(formatLabelSelector(parseLabelSelector('z notin (),x in (foo,,baz),y'))).toBe('x in (,baz,foo),y,z notin ()')
  })

  it('treats a trailing empty exact value as the empty string', () => {
    const sel = parseLabelSelector('app=')
    expect(matchesLabels(sel, {app: ''})).toBe(true)
    expect(matchesLabels(sel, {app: 'x'})).toBe(false)
  })
})

describe('parseLabelSelector errors', () => {
  it('is a 400 BadRequest', () => {
    const err = parseError('a b')
    expect(err.code).toBe(400)
    expect(err.reason).toBe('BadRequest')
    expect(err.message).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")
  })

  it('rejects a key with a colon exactly as the real server words it', () => {
    expect(parseError('app:monolith').message).toBe(`unable to parse requirement: <nil>: Invalid value: "app:monolith": name part ${QNAME_RULE}`)
  })

  it('rejects an invalid key prefix', () => {
    expect(parseError('app.kubernetes_io/name=x').message).toBe(
      'unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    )
  })

  it('rejects an invalid value with the values[i][key] path', () => {
    expect(parseError('a=-x').message).toBe(
      'unable to parse requirement: values[0][a]: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    )
  })

  it('rejects values longer than 63 characters', () => {
    expect(parseError(`a=${'v'.repeat(64)}`).message).toContain('must be no more than 63 characters')
  })

  it('rejects keys with two slashes', () => {
    expect(parseError('a/b/c').message).toContain("a qualified name must consist of alphanumeric characters")
  })

  it.each([
    [',', "found ',', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!=a', "found '!=', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a>x', 'unable to parse requirement: values[0]: Invalid value: "x": for \'Gt\', \'Lt\' operators, the value must be an integer'],
  ])('rejects %j with %j', (text, message) => {
    expect(parseError(text).message).toBe(message)
  })
})

describe('labelSelectorFromSpec', () => {
  it('selects nothing for a missing selector and everything for an empty one', () => {
    expect(matchesLabels(labelSelectorFromSpec(undefined), {app: 'web'})).toBe(false)
    expect(isEmptySelector(labelSelectorFromSpec(undefined))).toBe(false)
    expect(matchesLabels(labelSelectorFromSpec({}), {app: 'web'})).toBe(true)
    expect(isEmptySelector(labelSelectorFromSpec({matchLabels: {}, matchExpressions: []}))).toBe(true)
  })

  it('combines matchLabels and matchExpressions and prints them sorted by key', () => {
    const sel = labelSelectorFromSpec({
      matchLabels: {tier: 'fe', app: 'web'},
      matchExpressions: [
        {key: 'env', operator: 'In', values: ['prod', 'dev']},
        {key: 'legacy', operator: 'DoesNotExist'},
        {key: 'team', operator: 'Exists'},
        {key: 'zone', operator: 'NotIn', values: ['b']},
      ],
    })
    expect(formatLabelSelector(sel)).toBe('app=web,env in (dev,prod),!legacy,team,tier=fe,zone notin (b)')
    expect(matchesLabels(sel, {app: 'web', tier: 'fe', env: 'dev', team: 'x'})).toBe(true)
    expect(matchesLabels(sel, {app: 'web', tier: 'fe', env: 'dev', team: 'x', legacy: '1'})).toBe(false)
  })

  it('prints a Scale-style selector for plain matchLabels', () => {
    expect(formatLabelSelector(labelSelectorFromSpec({matchLabels: {app: 'web'}}))).toBe('app=web')
    expect(formatLabelSelector(labelSelectorFromSpec(undefined))).toBe('')
  })

  it('rejects unknown operators and empty In values as 400s', () => {
    expect(() => labelSelectorFromSpec({matchExpressions: [{key: 'a', operator: 'Foo'}]})).toThrow('"Foo" is not a valid label selector operator')
    expect(() => labelSelectorFromSpec({matchExpressions: [{key: 'a', operator: 'In', values: []}]})).toThrow(
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    )
    expect(() => labelSelectorFromSpec({matchExpressions: [{key: 'a', operator: 'Exists', values: ['x']}]})).toThrow(
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    )
  })
})
