import {describe, expect, it} from 'vitest'
import type {PodAffinityTerm} from 'kubernetes-types/core/v1.js'
import {interPodAffinity} from '../../../../src/cluster/scheduler/filters/inter-pod-affinity.js'
import type {ClusterView, PodInfo} from '../../../../src/cluster/scheduler/types.js'
import {clusterOf, makeNode, makePod, nodeWith, podInfo} from '../fixtures.js'

const HOST = 'kubernetes.io/hostname'
const term = (labels: Record<string, string>, topologyKey = HOST): PodAffinityTerm => ({labelSelector: {matchLabels: labels}, topologyKey})

function verdicts(pod: PodInfo, cluster: ClusterView): Record<string, string> {
  const state = interPodAffinity.prepare!(pod, cluster)
  return Object.fromEntries(cluster.nodes.map((n) => {
    const r = interPodAffinity.filter(pod, n, state)
    return [n.name, r.ok ? 'ok' : r.reasons.join()]
  }))
}

describe('InterPodAffinity filter', () => {
  it('keeps a pod with required anti-affinity off hosts running a matching pod', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1'), [makePod('web-1', {labels: {app: 'web'}})]), nodeWith(makeNode('n2'))])
    const pod = podInfo('web-2', {labels: {app: 'web'}, spec: {affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [term({app: 'web'})]}}}})
    expect(verdicts(pod, cluster)).toEqual({n1: "node(s) didn't match pod anti-affinity rules", n2: 'ok'})
  })

  it('applies anti-affinity per topology domain of any node label', () => {
    const cluster = clusterOf([
      nodeWith(makeNode('n1', {labels: {zone: 'a'}}), [makePod('db', {labels: {app: 'db'}})]),
      nodeWith(makeNode('n2', {labels: {zone: 'a'}})),
      nodeWith(makeNode('n3', {labels: {zone: 'b'}})),
      nodeWith(makeNode('n4')),
    ])
    const pod = podInfo('p', {spec: {affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [term({app: 'db'}, 'zone')]}}}})
    expect(verdicts(pod, cluster)).toEqual({n1: "node(s) didn't match pod anti-affinity rules", n2: "node(s) didn't match pod anti-affinity rules", n3: 'ok', n4: 'ok'})
  })

  it("honours placed pods' anti-affinity against the incoming pod", () => {
    const loner = makePod('loner', {spec: {affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [term({app: 'noisy'})]}}}})
    const cluster = clusterOf([nodeWith(makeNode('n1'), [loner]), nodeWith(makeNode('n2'))])
    expect(verdicts(podInfo('p', {labels: {app: 'noisy'}}), cluster)).toEqual({n1: "node(s) didn't satisfy existing pods anti-affinity rules", n2: 'ok'})
    expect(verdicts(podInfo('p', {labels: {app: 'quiet'}}), cluster)).toEqual({n1: 'ok', n2: 'ok'})
  })

  it('requires a matching pod in the domain for required affinity', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1'), [makePod('cache', {labels: {app: 'cache'}})]), nodeWith(makeNode('n2'))])
    const pod = podInfo('p', {spec: {affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [term({app: 'cache'})]}}}})
    expect(verdicts(pod, cluster)).toEqual({n1: 'ok', n2: "node(s) didn't match pod affinity rules"})
  })

  it('lets the first pod of a self-selecting group go anywhere, but not a pod that selects others', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1')), nodeWith(makeNode('n2'))])
    const first = podInfo('p', {labels: {app: 'grp'}, spec: {affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [term({app: 'grp'})]}}}})
    expect(verdicts(first, cluster)).toEqual({n1: 'ok', n2: 'ok'})
    const other = podInfo('p', {labels: {app: 'x'}, spec: {affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [term({app: 'grp'})]}}}})
    expect(verdicts(other, cluster)).toEqual({n1: "node(s) didn't match pod affinity rules", n2: "node(s) didn't match pod affinity rules"})
  })

  it('only matches pods in the namespaces a term names', () => {
    const cluster = clusterOf([nodeWith(makeNode('n1'), [makePod('web', {namespace: 'other', labels: {app: 'web'}})])], {other: {team: 'b'}})
    const sameNs = podInfo('p', {spec: {affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [term({app: 'web'})]}}}})
    expect(verdicts(sameNs, cluster)).toEqual({n1: 'ok'})
    const bySelector = podInfo('p', {spec: {affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{...term({app: 'web'}), namespaceSelector: {matchLabels: {team: 'b'}}}]}}}})
    expect(verdicts(bySelector, cluster)).toEqual({n1: "node(s) didn't match pod anti-affinity rules"})
  })
})
