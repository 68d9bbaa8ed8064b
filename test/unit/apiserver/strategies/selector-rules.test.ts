import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {deploymentStrategy} from '../../../../src/cluster/apiserver/strategies/deployment-strategy.js'
import {selectorFromSpec, selectorMatches, selectorUnparsable, type SelectorSpec} from '../../../../src/cluster/apiserver/strategies/selector-rules.js'
import {messages, object} from './fixtures.js'

const labels = {app: 'web', tier: 'fe'}

describe('selector rules', () => {
  it.each<[string, SelectorSpec | null | undefined, boolean]>([
    ['a nil selector matches nothing', undefined, false],
    ['an empty selector matches everything', {}, true],
    ['matchLabels match equal values', {matchLabels: {app: 'web'}}, true],
    ['matchLabels refuse other values', {matchLabels: {app: 'db'}}, false],
    ['In matches one of its values', {matchExpressions: [{key: 'tier', operator: 'In', values: ['be', 'fe']}]}, true],
    ['NotIn matches a missing label', {matchExpressions: [{key: 'zone', operator: 'NotIn', values: ['a']}]}, true],
    ['NotIn refuses a listed value', {matchExpressions: [{key: 'app', operator: 'NotIn', values: ['web']}]}, false],
    ['Exists needs the label', {matchExpressions: [{key: 'zone', operator: 'Exists'}]}, false],
    ['DoesNotExist refuses a present label', {matchExpressions: [{key: 'app', operator: 'DoesNotExist'}]}, false],
    ['matchLabels and matchExpressions are ANDed', {matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'In', values: ['be']}]}, false],
    ['an unparsable selector matches nothing', {matchExpressions: [{key: 'app', operator: 'Near', values: ['web']}]}, false],
  ])('%s', (_title, sel, expected) => {
    expect(selectorMatches(sel, labels)).toBe(expected)
  })

  it.each<[string, SelectorSpec]>([
    ['an unknown operator', {matchExpressions: [{key: 'app', operator: 'Near', values: ['web']}]}],
    ['a missing operator', {matchExpressions: [{key: 'app'}]}],
    ['a missing key', {matchExpressions: [{operator: 'Exists'}]}],
    ['an invalid matchLabels key', {matchLabels: {'a/b/c': 'x'}}],
    ['an invalid matchLabels value', {matchLabels: {app: 'bad value!'}}],
    ['In without values', {matchExpressions: [{key: 'app', operator: 'In', values: []}]}],
  ])('calls a selector with %s unparsable instead of throwing', (_title, sel) => {
    expect(selectorUnparsable(sel)).toBe(true)
    expect(selectorFromSpec(sel)).toBeUndefined()
  })

  it('parses a valid selector into sorted requirements', () => {
    expect(selectorUnparsable({matchLabels: {tier: 'fe', app: 'web'}})).toBe(false)
    expect(selectorFromSpec({matchLabels: {tier: 'fe', app: 'web'}})?.requirements.map((r) => r.key)).toEqual(['app', 'tier'])
  })

  it('reports an invalid selector in a Deployment as field errors, not a thrown 400', () => {
    const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx'}]}}
    const d: KubeObject = object('Deployment', 'apps/v1', {spec: {selector: {matchLabels: {app: 'bad value!'}}, template}})
    deploymentStrategy.applyDefaults(d)
    const errs = deploymentStrategy.validate(d)
    expect(errs.map((e) => e.field)).toEqual(['spec.selector.matchLabels', 'spec.selector'])
    expect(messages(errs)[1]).toBe('spec.selector: Invalid value: {"matchLabels":{"app":"bad value!"}}: invalid label selector')
  })
})
