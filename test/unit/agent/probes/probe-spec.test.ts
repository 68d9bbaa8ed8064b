import {describe, expect, it} from 'vitest'
import {ProbeError} from '../../../../src/cluster/agent/probes/probe-error.js'
import {probeKillMessage, unhealthyMessage} from '../../../../src/cluster/agent/probes/probe-messages.js'
import {normalizeProbe, probeSpec, resolveContainerPort} from '../../../../src/cluster/agent/probes/probe-spec.js'

describe('normalizeProbe', () => {
  it('fills in the Kubernetes defaults', () => {
    expect(normalizeProbe({tcpSocket: {port: 80}}, 'readiness')).toEqual({
      kind: 'readiness',
      handler: {type: 'tcpSocket', port: 80},
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    })
  })

  it('keeps explicit values and forces successThreshold 1 for liveness', () => {
    const spec = normalizeProbe({httpGet: {path: '/h', port: 'http', scheme: 'HTTPS', httpHeaders: [{name: 'A', value: 'b'}]}, initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, successThreshold: 4, failureThreshold: 6, terminationGracePeriodSeconds: 7}, 'liveness')
    expect(spec).toEqual({
      kind: 'liveness',
      handler: {type: 'httpGet', scheme: 'https', port: 'http', path: '/h', headers: [{name: 'A', value: 'b'}]},
      initialDelaySeconds: 5,
      periodSeconds: 2,
      timeoutSeconds: 3,
      successThreshold: 1,
      failureThreshold: 6,
      terminationGracePeriodSeconds: 7,
    })
  })

  it('rejects a probe without a handler', () => {
    expect(() => normalizeProbe({periodSeconds: 1}, 'startup')).toThrow(ProbeError)
  })

  it('picks the container\'s probe of each kind', () => {
    const container = {name: 'c', readinessProbe: {exec: {command: ['true']}}}
    expect(probeSpec(container, 'readiness')?.handler).toEqual({type: 'exec', command: ['true']})
    expect(probeSpec(container, 'liveness')).toBeUndefined()
  })
})

describe('resolveContainerPort', () => {
  const container = {name: 'c', ports: [{name: 'http', containerPort: 8080}]}

  it('resolves numbers, named ports and numbers written as strings', () => {
    expect(resolveContainerPort(81, container)).toBe(81)
    expect(resolveContainerPort('http', container)).toBe(8080)
    expect(resolveContainerPort('9090', container)).toBe(9090)
  })

  it('fails with the kubelet\'s errors for unknown names and out-of-range ports', () => {
    expect(() => resolveContainerPort('metrics', container)).toThrow('strconv.Atoi: parsing "metrics": invalid syntax')
    expect(() => resolveContainerPort(70000, container)).toThrow('invalid port number: 70000')
  })
})

describe('probe messages', () => {
  it('reads like the kubelet\'s events', () => {
    expect(unhealthyMessage('readiness', {result: 'failure', output: 'HTTP probe failed with statuscode: 500'})).toBe('Readiness probe failed: HTTP probe failed with statuscode: 500')
    expect(unhealthyMessage('liveness', {result: 'error', output: 'invalid port number: 0'})).toBe('Liveness probe errored: invalid port number: 0')
    expect(unhealthyMessage('startup', {result: 'success', output: ''})).toBeUndefined()
    expect(probeKillMessage('web', 'liveness', true)).toBe('Container web failed liveness probe, will be restarted')
    expect(probeKillMessage('web', 'startup', false)).toBe('Container web failed startup probe')
  })
})
