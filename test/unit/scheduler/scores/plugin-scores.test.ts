import {describe, expect, it} from 'vitest'
import type {NodeInfo, PodInfo, ScorePlugin} from '../../../../src/cluster/scheduler/types.js'
import {interPodAffinityScore} from '../../../../src/cluster/scheduler/scores/inter-pod-affinity-score.js'
import {nodeAffinityScore} from '../../../../src/cluster/scheduler/scores/node-affinity-score.js'
import {taintTolerationScore} from '../../../../src/cluster/scheduler/scores/taint-toleration-score.js'
import {topologySpreadScore} from '../../../../src/cluster/scheduler/scores/topology-spread-score.js'
import {clusterOf, makeNode, makePod, nodeWith, podInfo} from '../fixtures.js'

/** Normalized 0-100 scores by node name, or undefined when the plugin does not apply. */
function run(plugin: ScorePlugin<any>, pod: PodInfo, nodes: NodeInfo[]): Record<string, number> | undefined {
  const cluster = clusterOf(nodes)
  const state = plugin.prepare ? plugin.prepare(pod, cluster.nodes, cluster) : null
  if (state === undefined) return undefined
  const raw = cluster.nodes.map((n) => plugin.score(pod, n, state))
  plugin.normalize?.(raw, state)
  return Object.fromEntries(cluster.nodes.map((n, i) => [n.name, raw[i]]))
}

describe('NodeAffinity score', () => {
  it('scales the weights of matched preferred terms so the best node gets 100', () => {
    const pod = podInfo('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {weight: 80, preference: {matchExpressions: [{key: 'disk', operator: 'In', values: ['ssd']}]}},
              {weight: 20, preference: {matchExpressions: [{key: 'zone', operator: 'In', values: ['a']}]}},
            ],
          },
        },
      },
    })
    const nodes = [nodeWith(makeNode('n1', {labels: {disk: 'ssd', zone: 'a'}})), nodeWith(makeNode('n2', {labels: {disk: 'ssd'}})), nodeWith(makeNode('n3', {labels: {zone: 'a'}}))]
    expect(run(nodeAffinityScore, pod, nodes)).toEqual({n1: 100, n2: 80, n3: 20})
    expect(run(nodeAffinityScore, podInfo('p'), nodes)).toBeUndefined()
  })
})

describe('TaintToleration score', () => {
  it('ranks nodes by how many PreferNoSchedule taints the pod does not tolerate', () => {
    const soft = (key: string) => ({key, effect: 'PreferNoSchedule'})
    const nodes = [nodeWith(makeNode('n1')), nodeWith(makeNode('n2', {taints: [soft('a')]})), nodeWith(makeNode('n3', {taints: [soft('a'), soft('b')]}))]
    expect(run(taintTolerationScore, podInfo('p'), nodes)).toEqual({n1: 100, n2: 50, n3: 0})
    const tolerant = podInfo('p', {spec: {tolerations: [{key: 'a', operator: 'Exists', effect: 'PreferNoSchedule'}]}})
    expect(run(taintTolerationScore, tolerant, nodes)).toEqual({n1: 100, n2: 100, n3: 0})
  })
})

describe('InterPodAffinity score', () => {
  it('adds preferred affinity weights and subtracts preferred anti-affinity weights per domain', () => {
    const nodes = [
      nodeWith(makeNode('n1'), [makePod('cache', {labels: {app: 'cache'}})]),
      nodeWith(makeNode('n2'), [makePod('batch', {labels: {app: 'batch'}})]),
      nodeWith(makeNode('n3')),
    ]
    const term = (app: string, weight: number) => ({weight, podAffinityTerm: {labelSelector: {matchLabels: {app}}, topologyKey: 'kubernetes.io/hostname'}})
    const pod = podInfo('p', {spec: {affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [term('cache', 10)]}, podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [term('batch', 10)]}}}})
    expect(run(interPodAffinityScore, pod, nodes)).toEqual({n1: 100, n2: 0, n3: 50})
  })

  it("counts placed pods' preferences toward the incoming pod", () => {
    const friendly = makePod('f', {spec: {affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 5, podAffinityTerm: {labelSelector: {matchLabels: {app: 'web'}}, topologyKey: 'kubernetes.io/hostname'}}]}}}})
    const nodes = [nodeWith(makeNode('n1'), [friendly]), nodeWith(makeNode('n2'))]
    expect(run(interPodAffinityScore, podInfo('p', {labels: {app: 'web'}}), nodes)).toEqual({n1: 100, n2: 0})
    expect(run(interPodAffinityScore, podInfo('p', {labels: {app: 'db'}}), nodes)).toBeUndefined()
  })
})

describe('PodTopologySpread score', () => {
  it('favours the hosts with fewest matching pods for ScheduleAnyway constraints', () => {
    const web = (name: string) => makePod(name, {labels: {app: 'web'}})
    const nodes = [nodeWith(makeNode('n1'), [web('a'), web('b')]), nodeWith(makeNode('n2'), [web('c')]), nodeWith(makeNode('n3'))]
    const pod = podInfo('p', {labels: {app: 'web'}, spec: {topologySpreadConstraints: [{maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: {matchLabels: {app: 'web'}}}]}})
    const scores = run(topologySpreadScore, pod, nodes)!
    expect(scores.n3).toBe(100)
    expect(scores.n3).toBeGreaterThan(scores.n2)
    expect(scores.n2).toBeGreaterThan(scores.n1)
  })

  it('gives nodes without the topology key 0', () => {
    const nodes = [nodeWith(makeNode('n1', {labels: {zone: 'a'}})), nodeWith(makeNode('n2'))]
    const pod = podInfo('p', {spec: {topologySpreadConstraints: [{maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: {}}]}})
    expect(run(topologySpreadScore, pod, nodes)).toEqual({n1: 100, n2: 0})
  })
})
