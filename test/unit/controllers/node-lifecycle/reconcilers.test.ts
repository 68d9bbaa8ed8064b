// The two reconcilers against a real registry on an in-memory store, driven by hand on a manual clock.
import type {Node, Pod} from 'kubernetes-types/core/v1.js'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {resourceOfKind} from '../../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {NodeLifecycleReconciler} from '../../../../src/cluster/controllers/node-lifecycle/node-lifecycle-controller.js'
import {TaintEvictionReconciler, TaintFirstSeen} from '../../../../src/cluster/controllers/node-lifecycle/taint-eviction-controller.js'
import type {ObjectKey} from '../../../../src/cluster/controllers/reconciler.js'
import {ManualClock} from '../../../../src/cluster/manual-clock.js'
import {openTestRegistry, type TestRegistry} from '../../../support/test-registry.js'

const NODES = resourceOfKind('Node')
const PODS = resourceOfKind('Pod')
const LEASES = resourceOfKind('Lease')
const T0 = new Date('2026-01-01T00:00:00Z')

interface Recorded {
  name: string
  type: string
  reason: string
  message: string
}

describe('node lifecycle and taint eviction reconcilers', () => {
  let t: TestRegistry
  let clock: ManualClock
  let events: Recorded[]
  const recorder = {event: (obj: KubeObject, type: string, reason: string, message: string) => void events.push({name: obj.metadata.name!, type, reason, message})}

  beforeEach(async () => {
    clock = new ManualClock(T0)
    t = await openTestRegistry(clock)
    events = []
    await t.registry.create(resourceOfKind('Namespace'), undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'kube-node-lease'}}, {manager: 'test'})
    const at = '2026-01-01T00:00:00Z'
    const node = {apiVersion: 'v1', kind: 'Node', metadata: {name: 'w'}, status: {conditions: [{type: 'Ready', status: 'True', lastHeartbeatTime: at, lastTransitionTime: at}]}}
    await t.registry.create(NODES, undefined, node as KubeObject, {manager: 'test'})
    const lease = {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name: 'w', namespace: 'kube-node-lease'}, spec: {renewTime: '2026-01-01T00:00:10.000000Z'}}
    await t.registry.create(LEASES, 'kube-node-lease', lease as KubeObject, {manager: 'test'})
    const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'default'}, spec: {nodeName: 'w', containers: [{name: 'c', image: 'busybox'}]}}
    await t.registry.create(PODS, 'default', pod as KubeObject, {manager: 'test'})
    await t.registry.update(PODS, 'default', 'p', (live) => ({...live!, status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]}}), {manager: 'test', subresource: 'status'})
  })
  afterEach(async () => {
    await t.store.close()
  })

  function lifecycle(enqueued: ObjectKey[] = []) {
    return new NodeLifecycleReconciler({registry: t.registry, clock, recorder, monitorPeriodMs: 60_000, enqueue: (k) => enqueued.push(k), podsOn: () => [{namespace: 'default', name: 'p'}]})
  }
  const node = async () => (await t.registry.get(NODES, undefined, 'w')) as unknown as Node
  const pod = async () => (await t.registry.get(PODS, 'default', 'p')) as unknown as Pod

  it('comes back just after the node would expire, measured from the latest heartbeat', async () => {
    await clock.advance(15_000)
    expect(await lifecycle().reconcile({name: 'w'})).toEqual({requeueAfterMs: 35_001})
    expect((await node()).spec?.taints).toBeUndefined()
  })

  it('marks an expired node Unknown and tainted once, records NodeNotReady, and wakes its pods', async () => {
    await clock.advance(51_000)
    const enqueued: ObjectKey[] = []
    expect(await lifecycle(enqueued).reconcile({name: 'w'})).toBeUndefined()
    const n = await node()
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown')
    expect(n.spec?.taints?.map((x) => x.effect)).toEqual(['NoSchedule', 'NoExecute'])
    expect(events).toEqual([{name: 'w', type: 'Normal', reason: 'NodeNotReady', message: 'Node w status is now: NodeNotReady'}])
    expect(enqueued).toEqual([{kind: 'Pod', namespace: 'default', name: 'p'}])

    const version = n.metadata?.resourceVersion
    await lifecycle().reconcile({name: 'w'})
    expect((await node()).metadata?.resourceVersion).toBe(version)
    expect(events).toHaveLength(1)

    await lifecycle().reconcile(enqueued[0])
    expect((await pod()).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False')
    expect(events[1]).toEqual({name: 'p', type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready'})
  })

  it('evicts a pod when its toleration runs out: DisruptionTarget first, then a graceful delete', async () => {
    const evictor = new TaintEvictionReconciler({registry: t.registry, clock, recorder, firstSeen: new TaintFirstSeen()})
    expect(await evictor.reconcile({namespace: 'default', name: 'p'})).toBeUndefined()
    await clock.advance(51_000)
    await lifecycle().reconcile({name: 'w'})
    // The default toleration (300 s) from pod defaulting, counted from the taint's timeAdded (00:00:51).
    expect(await evictor.reconcile({namespace: 'default', name: 'p'})).toEqual({requeueAfterMs: 300_000})
    expect((await pod()).metadata?.deletionTimestamp).toBeUndefined()
    await clock.advance(300_000)
    await evictor.reconcile({namespace: 'default', name: 'p'})
    const evicted = await pod()
    expect(evicted.metadata?.deletionTimestamp).toBe('2026-01-01T00:06:21Z')
    expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({status: 'True', reason: 'DeletionByTaintManager'})
    expect(events.at(-1)).toEqual({name: 'p', type: 'Normal', reason: 'TaintManagerEviction', message: 'Marking for deletion Pod default/p'})
  })

  it('cancels a pending eviction when the taint goes before the deadline', async () => {
    const evictor = new TaintEvictionReconciler({registry: t.registry, clock, recorder, firstSeen: new TaintFirstSeen()})
    await clock.advance(51_000)
    await lifecycle().reconcile({name: 'w'})
    expect(await evictor.reconcile({namespace: 'default', name: 'p'})).toHaveProperty('requeueAfterMs')
    const now = '2026-01-01T00:01:00Z'
    await t.registry.update(NODES, undefined, 'w', (live) => ({...live!, status: {conditions: [{type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now}]}}), {manager: 'test', subresource: 'status'})
    await lifecycle().reconcile({name: 'w'})
    expect((await node()).spec?.taints).toBeUndefined()
    await clock.advance(400_000)
    expect(await evictor.reconcile({namespace: 'default', name: 'p'})).toBeUndefined()
    expect((await pod()).metadata?.deletionTimestamp).toBeUndefined()
    expect(events.at(-1)).toEqual({name: 'p', type: 'Normal', reason: 'TaintManagerEviction', message: 'Cancelling deletion of Pod default/p'})
  })
})
