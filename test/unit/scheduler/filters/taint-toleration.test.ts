import {describe, expect, it} from 'vitest'
import {taintToleration} from '../../../../src/cluster/scheduler/filters/taint-toleration.js'
import {makeNode, nodeWith, podInfo} from '../fixtures.js'

describe('TaintToleration filter', () => {
  it('names the first untolerated NoSchedule taint as kube-scheduler does', () => {
    const node = nodeWith(makeNode('n', {taints: [{key: 'dedicated', value: 'gpu', effect: 'NoSchedule'}]}))
    expect(taintToleration.filter(podInfo('p'), node, undefined)).toEqual({ok: false, reasons: ['node(s) had untolerated taint {dedicated: gpu}'], unresolvable: true})
  })

  it('rejects NoExecute taints and ignores PreferNoSchedule ones', () => {
    expect(taintToleration.filter(podInfo('p'), nodeWith(makeNode('n', {taints: [{key: 'x', effect: 'NoExecute'}]})), undefined)).toMatchObject({reasons: ['node(s) had untolerated taint {x: }']})
    expect(taintToleration.filter(podInfo('p'), nodeWith(makeNode('n', {taints: [{key: 'x', effect: 'PreferNoSchedule'}]})), undefined).ok).toBe(true)
  })

  it('admits a pod with a matching toleration', () => {
    const node = nodeWith(makeNode('n', {taints: [{key: 'dedicated', value: 'gpu', effect: 'NoSchedule'}]}))
    const pod = podInfo('p', {spec: {tolerations: [{key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule'}]}})
    expect(taintToleration.filter(pod, node, undefined).ok).toBe(true)
  })

  it('keeps pods off a NotReady node unless they tolerate not-ready for NoSchedule', () => {
    const node = nodeWith(makeNode('n', {ready: 'False'}))
    expect(taintToleration.filter(podInfo('p'), node, undefined)).toMatchObject({reasons: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']})
    // The default NoExecute toleration every pod gets does not cover the NoSchedule taint.
    const defaultTolerations = podInfo('p', {spec: {tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300}]}})
    expect(taintToleration.filter(defaultTolerations, node, undefined).ok).toBe(false)
    const daemon = podInfo('p', {spec: {tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists'}]}})
    expect(taintToleration.filter(daemon, node, undefined).ok).toBe(true)
  })
})
