import type {Node} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {isExpired, nodeHealth, unknownConditions} from '../../../../src/cluster/controllers/node-lifecycle/node-health.js'

const timing = {gracePeriodMs: 40_000, startupGracePeriodMs: 60_000}
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s))
const iso = (s: number) => at(s).toISOString().replace(/\.\d{3}Z$/, 'Z')

function node(readyHeartbeat?: number, extra: Partial<Node> = {}): Node {
  const conditions =
    readyHeartbeat === undefined
      ? []
      : [
          {type: 'MemoryPressure', status: 'False', lastHeartbeatTime: iso(readyHeartbeat), lastTransitionTime: iso(0), reason: 'KubeletHasSufficientMemory'},
          {type: 'Ready', status: 'True', lastHeartbeatTime: iso(readyHeartbeat), lastTransitionTime: iso(0), reason: 'KubeletReady', message: 'kubelet is posting ready status'},
        ]
  return {metadata: {name: 'n', creationTimestamp: iso(0)}, status: {conditions}, ...extra}
}

describe('nodeHealth', () => {
  it('takes the most recent of the Lease renewal and the Ready heartbeat', () => {
    const lease = {spec: {renewTime: '2026-01-01T00:00:30.250000Z'}}
    expect(nodeHealth(node(10), lease, timing)).toEqual({probeMs: at(30).getTime() + 250, expiresAtMs: at(70).getTime() + 250})
    expect(nodeHealth(node(50), lease, timing).probeMs).toBe(at(50).getTime())
  })

  it('expires only strictly after the grace period', () => {
    const health = nodeHealth(node(0), undefined, timing)
    expect(isExpired(health, at(40))).toBe(false)
    expect(isExpired(health, new Date(at(40).getTime() + 1))).toBe(true)
  })

  it('measures a node that never posted Ready from its creation with the startup grace period', () => {
    const health = nodeHealth(node(undefined), undefined, timing)
    expect(health.expiresAtMs).toBe(at(60).getTime())
    // A Lease renewal still counts as life.
    expect(nodeHealth(node(undefined), {spec: {renewTime: iso(100)}}, timing).expiresAtMs).toBe(at(160).getTime())
  })

  it('never expires a node it cannot date at all', () => {
    expect(isExpired(nodeHealth({metadata: {name: 'x'}}, undefined, timing), at(10_000))).toBe(false)
  })
})

describe('unknownConditions', () => {
  it('turns every kubelet condition Unknown, keeping heartbeats and adding the missing ones as never updated', () => {
    const conditions = unknownConditions(node(20), at(90))!
    const byType = Object.fromEntries(conditions.map((c) => [c.type, c]))
    expect(byType.Ready).toEqual({type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: iso(20), lastTransitionTime: iso(90)})
    expect(byType.MemoryPressure).toMatchObject({status: 'Unknown', reason: 'NodeStatusUnknown', lastHeartbeatTime: iso(20), lastTransitionTime: iso(90)})
    expect(byType.DiskPressure).toEqual({type: 'DiskPressure', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: iso(0), lastTransitionTime: iso(90)})
    expect(byType.PIDPressure.status).toBe('Unknown')
  })

  it('leaves other conditions alone', () => {
    const n = node(20)
    n.status!.conditions!.push({type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated'})
    expect(unknownConditions(n, at(90))!.find((c) => c.type === 'NetworkUnavailable')).toEqual({type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated'})
  })

  it('changes nothing on a node already Unknown, so a second pass writes nothing', () => {
    const once = unknownConditions(node(20), at(90))!
    expect(unknownConditions({...node(20), status: {conditions: once}}, at(120))).toBeUndefined()
  })
})
