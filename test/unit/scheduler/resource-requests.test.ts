import {describe, expect, it} from 'vitest'
import {DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, nodeAllocatable, podNonZeroRequests, podRequests} from '../../../src/cluster/scheduler/resource-requests.js'
import {makeNode, makePod} from './fixtures.js'

const c = (name: string, requests: Record<string, string>, restartPolicy?: string) => ({name, image: 'x', resources: {requests}, ...(restartPolicy ? {restartPolicy} : {})})

describe('podRequests', () => {
  it('sums the requests of regular containers', () => {
    const pod = makePod('p', {containers: [c('a', {cpu: '250m', memory: '64Mi'}), c('b', {cpu: '0.5', memory: '1Gi'})]})
    expect(podRequests(pod)).toMatchObject({milliCpu: 750, memory: 64 * 2 ** 20 + 2 ** 30})
  })

  it('counts init containers as a maximum, not a sum', () => {
    const pod = makePod('p', {containers: [c('a', {cpu: '100m'})], spec: {initContainers: [c('i1', {cpu: '2'}), c('i2', {cpu: '500m'})]}})
    expect(podRequests(pod).milliCpu).toBe(2000)
  })

  it('adds sidecars to the running total and to later init containers', () => {
    const pod = makePod('p', {
      containers: [c('a', {cpu: '100m'})],
      spec: {initContainers: [c('sidecar', {cpu: '200m'}, 'Always'), c('init', {cpu: '1'})]},
    })
    // running: 100m + 200m sidecar = 300m; during init: 1 + 200m sidecar = 1200m
    expect(podRequests(pod).milliCpu).toBe(1200)
  })

  it('adds pod overhead and counts extended resources', () => {
    const pod = makePod('p', {containers: [c('a', {cpu: '1', 'nvidia.com/gpu': '2'})], spec: {overhead: {cpu: '250m'}}})
    expect(podRequests(pod)).toMatchObject({milliCpu: 1250, scalars: {'nvidia.com/gpu': 2}})
  })

  it('gives containers without cpu or memory requests the scheduler defaults for scoring', () => {
    const pod = makePod('p', {containers: [c('a', {}), c('b', {cpu: '0'})]})
    expect(podRequests(pod)).toMatchObject({milliCpu: 0, memory: 0})
    // b asked for 0 cpu explicitly, which stays 0; memory is missing in both.
    expect(podNonZeroRequests(pod)).toEqual({milliCpu: DEFAULT_MILLI_CPU_REQUEST, memory: 2 * DEFAULT_MEMORY_REQUEST})
  })
})

describe('nodeAllocatable', () => {
  it('reads cpu in millicores, memory in bytes and the pod count', () => {
    expect(nodeAllocatable(makeNode('n', {cpu: '3500m', memory: '2Gi', pods: '7'}))).toMatchObject({milliCpu: 3500, memory: 2 ** 31, pods: 7})
  })

  it('falls back to capacity when allocatable is missing', () => {
    const node = makeNode('n', {cpu: '2'})
    delete node.status!.allocatable
    expect(nodeAllocatable(node).milliCpu).toBe(2000)
  })
})
