import {describe, expect, it} from 'vitest'
import {nodeAffinity} from '../../../../src/cluster/scheduler/filters/node-affinity.js'
import {clusterOf, makeNode, nodeWith, podInfo} from '../fixtures.js'

const REASON = "node(s) didn't match Pod's node affinity/selector"

describe('NodeAffinity filter', () => {
  it('enforces nodeSelector', () => {
    const pod = podInfo('p', {spec: {nodeSelector: {disk: 'ssd'}}})
    expect(nodeAffinity.filter(pod, nodeWith(makeNode('n', {labels: {disk: 'ssd'}})), {}).ok).toBe(true)
    expect(nodeAffinity.filter(pod, nodeWith(makeNode('n', {labels: {disk: 'hdd'}})), {})).toEqual({ok: false, reasons: [REASON], unresolvable: true})
  })

  it('enforces required node affinity terms', () => {
    const pod = podInfo('p', {
      spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'zone', operator: 'NotIn', values: ['b']}]}]}}}},
    })
    expect(nodeAffinity.filter(pod, nodeWith(makeNode('n', {labels: {zone: 'a'}})), {}).ok).toBe(true)
    expect(nodeAffinity.filter(pod, nodeWith(makeNode('n', {labels: {zone: 'b'}})), {}).ok).toBe(false)
  })

  it('narrows the candidates when every term pins metadata.name', () => {
    const pinned = podInfo('p', {
      spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['n2']}]}]}}}},
    })
    const state = nodeAffinity.prepare!(pinned, clusterOf([]))
    expect([...(nodeAffinity.eligibleNodes!(state) ?? [])]).toEqual(['n2'])
    const loose = podInfo('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['n2']}]}, {matchExpressions: [{key: 'zone', operator: 'Exists'}]}],
            },
          },
        },
      },
    })
    expect(nodeAffinity.eligibleNodes!(nodeAffinity.prepare!(loose, clusterOf([])))).toBeUndefined()
  })
})
