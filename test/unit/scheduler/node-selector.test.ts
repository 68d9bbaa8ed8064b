import {describe, expect, it} from 'vitest'
import {nodeSelectorTermMatches, podMatchesNodeSelectorAndAffinity} from '../../../src/cluster/scheduler/node-selector.js'
import {makePod} from './fixtures.js'

const node = {name: 'n1', labels: {zone: 'a', gpu: 'true', cores: '16'}}
const term = (key: string, operator: string, values?: string[]) => ({matchExpressions: [{key, operator, ...(values ? {values} : {})}]})

describe('nodeSelectorTermMatches', () => {
  it.each([
    ['In', 'zone', ['a', 'b'], true],
    ['In', 'zone', ['b'], false],
    ['NotIn', 'zone', ['b'], true],
    ['NotIn', 'missing', ['b'], true],
    ['NotIn', 'zone', ['a'], false],
    ['Exists', 'gpu', undefined, true],
    ['Exists', 'missing', undefined, false],
    ['DoesNotExist', 'missing', undefined, true],
    ['DoesNotExist', 'gpu', undefined, false],
    ['Gt', 'cores', ['8'], true],
    ['Gt', 'cores', ['16'], false],
    ['Lt', 'cores', ['32'], true],
    ['Lt', 'zone', ['32'], false],
    ['Bogus', 'zone', ['a'], false],
  ])('%s on %s %j is %s', (operator, key, values, expected) => {
    expect(nodeSelectorTermMatches(term(key, operator, values), node)).toBe(expected)
  })

  it('matches metadata.name through matchFields', () => {
    expect(nodeSelectorTermMatches({matchFields: [{key: 'metadata.name', operator: 'In', values: ['n1']}]}, node)).toBe(true)
    expect(nodeSelectorTermMatches({matchFields: [{key: 'metadata.name', operator: 'NotIn', values: ['n1']}]}, node)).toBe(false)
    expect(nodeSelectorTermMatches({matchFields: [{key: 'metadata.uid', operator: 'In', values: ['n1']}]}, node)).toBe(false)
  })

  it('never matches with an empty term', () => {
    expect(nodeSelectorTermMatches({}, node)).toBe(false)
  })
})

describe('podMatchesNodeSelectorAndAffinity', () => {
  it('needs every nodeSelector label and one matching required term', () => {
    const required = {nodeSelectorTerms: [term('zone', 'In', ['b']), term('gpu', 'Exists')]}
    expect(podMatchesNodeSelectorAndAffinity(makePod('p', {spec: {nodeSelector: {zone: 'a'}, affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: required}}}}), node)).toBe(true)
    expect(podMatchesNodeSelectorAndAffinity(makePod('p', {spec: {nodeSelector: {zone: 'a', disk: 'ssd'}}}), node)).toBe(false)
  })
})
