import {describe, expect, it} from 'vitest'
import {nodeResourcesFit} from '../../../../src/cluster/scheduler/filters/node-resources-fit.js'
import {makeNode, makePod, nodeWith, podInfo} from '../fixtures.js'

describe('NodeResourcesFit filter', () => {
  it('fits while requests stay within allocatable minus what bound pods request', () => {
    const node = nodeWith(makeNode('n', {cpu: '2', memory: '4Gi'}), [makePod('a', {cpu: '1500m', memory: '1Gi'})])
    expect(nodeResourcesFit.filter(podInfo('p', {cpu: '500m', memory: '3Gi'}), node, undefined).ok).toBe(true)
    expect(nodeResourcesFit.filter(podInfo('p', {cpu: '501m'}), node, undefined)).toEqual({ok: false, reasons: ['Insufficient cpu'], unresolvable: false})
  })

  it('reports every shortage', () => {
    const node = nodeWith(makeNode('n', {cpu: '1', memory: '1Gi'}))
    expect(nodeResourcesFit.filter(podInfo('p', {cpu: '2', memory: '2Gi'}), node, undefined)).toMatchObject({reasons: ['Insufficient cpu', 'Insufficient memory']})
  })

  it('counts pods against the pod limit, whatever they request', () => {
    const node = nodeWith(makeNode('n', {pods: '2'}), [makePod('a'), makePod('b')])
    expect(nodeResourcesFit.filter(podInfo('p'), node, undefined)).toMatchObject({reasons: ['Too many pods']})
  })

  it('checks extended resources the node does not offer', () => {
    const pod = podInfo('p', {containers: [{name: 'c', image: 'x', resources: {requests: {'nvidia.com/gpu': '1'}}}]})
    expect(nodeResourcesFit.filter(pod, nodeWith(makeNode('n')), undefined)).toMatchObject({reasons: ['Insufficient nvidia.com/gpu']})
    expect(nodeResourcesFit.filter(pod, nodeWith(makeNode('n', {extra: {'nvidia.com/gpu': '1'}})), undefined).ok).toBe(true)
  })

  it('uses the largest init container request', () => {
    const pod = podInfo('p', {cpu: '100m', spec: {initContainers: [{name: 'i', image: 'x', resources: {requests: {cpu: '3'}}}]}})
    expect(nodeResourcesFit.filter(pod, nodeWith(makeNode('n', {cpu: '2'})), undefined).ok).toBe(false)
  })
})
