import {describe, expect, it} from 'vitest'
import type {TopologySpreadConstraint} from 'kubernetes-types/core/v1.js'
import {podTopologySpread} from '../../../../src/cluster/scheduler/filters/pod-topology-spread.js'
import type {ClusterView, PodInfo} from '../../../../src/cluster/scheduler/types.js'
import {clusterOf, makeNode, makePod, nodeWith, podInfo} from '../fixtures.js'

let serial = 0
const web = (n: number) => Array.from({length: n}, () => makePod(`web-${++serial}`, {labels: {app: 'web'}}))
const constraint = (topologyKey: string, maxSkew = 1, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: {matchLabels: {app: 'web'}},
  ...extra,
})

function verdicts(pod: PodInfo, cluster: ClusterView): Record<string, string> {
  const state = podTopologySpread.prepare!(pod, cluster)
  return Object.fromEntries(cluster.nodes.map((n) => {
    const r = podTopologySpread.filter(pod, n, state)
    return [n.name, r.ok ? 'ok' : r.reasons.join()]
  }))
}

describe('PodTopologySpread filter', () => {
  it('refuses hosts that would exceed maxSkew over the emptiest host', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1'), web(2)), nodeWith(makeNode('n2'), web(1)), nodeWith(makeNode('n3'), web(1))])
    const pod = podInfo('p', {labels: {app: 'web'}, spec: {topologySpreadConstraints: [constraint('kubernetes.io/hostname')]}})
    expect(verdicts(pod, cluster)).toEqual({n1: "node(s) didn't match pod topology spread constraints", n2: 'ok', n3: 'ok'})
  })

  it('spreads over zones given by any node label and rejects nodes missing the label as unresolvable', () => {
    const cluster = clusterOf([
      nodeWith(makeNode('a1', {labels: {zone: 'a'}}), web(1)),
      nodeWith(makeNode('a2', {labels: {zone: 'a'}}), web(1)),
      nodeWith(makeNode('b1', {labels: {zone: 'b'}}), web(1)),
      nodeWith(makeNode('x')),
    ])
    const pod = podInfo('p', {labels: {app: 'web'}, spec: {topologySpreadConstraints: [constraint('zone')]}})
    const state = podTopologySpread.prepare!(pod, cluster)
    expect(verdicts(pod, cluster)).toMatchObject({a1: "node(s) didn't match pod topology spread constraints", a2: "node(s) didn't match pod topology spread constraints", b1: 'ok'})
    expect(podTopologySpread.filter(pod, cluster.nodeInfo('x')!, state)).toEqual({ok: false, reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"], unresolvable: true})
  })

  it('ignores ScheduleAnyway constraints and pods the selector does not match', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1'), web(3)), nodeWith(makeNode('n2'))])
    const soft = podInfo('p', {labels: {app: 'web'}, spec: {topologySpreadConstraints: [constraint('kubernetes.io/hostname', 1, {whenUnsatisfiable: 'ScheduleAnyway'})]}})
    expect(verdicts(soft, cluster)).toEqual({n1: 'ok', n2: 'ok'})
    // A pod outside the selector adds nothing to the skew: 3 + 0 - 0 is still above 1 on n1.
    const outsider = podInfo('p', {labels: {app: 'db'}, spec: {topologySpreadConstraints: [constraint('kubernetes.io/hostname', 3)]}})
    expect(verdicts(outsider, cluster)).toEqual({n1: 'ok', n2: 'ok'})
  })

  it('counts only nodes matching the pod node selector (nodeAffinityPolicy Honor)', () => {
    const cluster = clusterOf([
      nodeWith(makeNode('n1', {labels: {pool: 'x'}}), web(1)),
      nodeWith(makeNode('n2', {labels: {pool: 'x'}}), web(1)),
      nodeWith(makeNode('n3', {labels: {pool: 'y'}})),
    ])
    const pod = podInfo('p', {labels: {app: 'web'}, spec: {nodeSelector: {pool: 'x'}, topologySpreadConstraints: [constraint('kubernetes.io/hostname')]}})
    // n3 is excluded from the domains, so the minimum is 1 and both x nodes fit.
    expect(verdicts(pod, cluster)).toMatchObject({n1: 'ok', n2: 'ok'})
  })
})
