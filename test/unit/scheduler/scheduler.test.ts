// The scheduling loop over a real store and registry (no API server): pods are created and read
// back through the registry, as the controllers see them.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {Node, Pod} from 'kubernetes-types/core/v1.js'
import {RESOURCES} from '../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {ObjectRegistry} from '../../../src/cluster/apiserver/registry/object-registry.js'
import {strategyFor} from '../../../src/cluster/apiserver/strategies/index.js'
import {systemClock} from '../../../src/cluster/clock.js'
import {createScheduler} from '../../../src/cluster/scheduler/scheduler.js'
import {openSqliteStore, type SqliteStore} from '../../../src/cluster/store/sqlite-store.js'
import {makeNode, makePod} from './fixtures.js'

const find = (kind: string) => RESOURCES.find((r) => r.kind === kind)!
const [PODS, NODES, NAMESPACES] = [find('Pod'), find('Node'), find('Namespace')]

let dir: string
let store: SqliteStore
let registry: ObjectRegistry
let events: Array<{reason: string; message: string; name: string}>
let stop: () => Promise<void>

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const getPod = async (name: string) => (await registry.get(PODS, 'default', name)) as unknown as Pod
const createNode = (node: Node) => registry.create(NODES, undefined, node as unknown as KubeObject, {manager: 'test'})
const createPod = (pod: Pod) => registry.create(PODS, 'default', pod as unknown as KubeObject, {manager: 'test'})
const boundNode = async (name: string) => (await getPod(name)).spec?.nodeName

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kcluster-scheduler-'))
  store = await openSqliteStore(join(dir, 'store.db'))
  registry = new ObjectRegistry(store, strategyFor, systemClock, {clock: systemClock, allocateClusterIP: async () => '10.96.0.10', allocateNodePort: async () => 30000})
  await registry.create(NAMESPACES, undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'default'}}, {manager: 'test'})
  events = []
  const controller = createScheduler({
    store,
    registry,
    clock: systemClock,
    events: {event: (obj, _type, reason, message) => events.push({reason, message, name: obj.metadata.name!})},
    backoff: {initialMs: 20, maxMs: 100},
  })
  controller.start()
  stop = () => controller.stop()
})

afterEach(async () => {
  await stop()
  await store.close()
  rmSync(dir, {recursive: true, force: true})
})

describe('scheduler loop', () => {
  it('binds pending pods, spreading them evenly, and records Scheduled events', async () => {
    for (const n of ['n1', 'n2', 'n3']) await createNode(makeNode(n))
    for (let i = 0; i < 6; i++) await createPod(makePod(`p${i}`))
    const nodes = await waitFor('all pods bound', async () => {
      const placed = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => boundNode(`p${i}`)))
      return placed.every(Boolean) && placed
    })
    expect([...nodes].sort()).toEqual(['n1', 'n1', 'n2', 'n2', 'n3', 'n3'])
    const pod = await getPod('p0')
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True')
    await waitFor('Scheduled events', async () => events.filter((e) => e.reason === 'Scheduled').length === 6)
    expect(events.find((e) => e.name === 'p0')?.message).toBe(`Successfully assigned default/p0 to ${pod.spec!.nodeName}`)
  })

  it('never overcommits a node when many pods are decided at once', async () => {
    for (const n of ['n1', 'n2']) await createNode(makeNode(n, {cpu: '2'}))
    await Promise.all([0, 1, 2, 3, 4].map((i) => createPod(makePod(`p${i}`, {cpu: '1'}))))
    await waitFor('one pod left unschedulable', async () => events.some((e) => e.reason === 'FailedScheduling'))
    const placed = await Promise.all([0, 1, 2, 3, 4].map((i) => boundNode(`p${i}`)))
    expect(placed.filter((n) => n === 'n1')).toHaveLength(2)
    expect(placed.filter((n) => n === 'n2')).toHaveLength(2)
    expect(placed.filter((n) => !n)).toHaveLength(1)
  })

  it('marks a pod that fits nowhere Unschedulable with the reason, and binds it once a node with room appears', async () => {
    await createNode(makeNode('small', {cpu: '1'}))
    await createPod(makePod('big', {cpu: '3'}))
    const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'
    const condition = await waitFor('PodScheduled=False', async () => (await getPod('big')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'))
    expect(condition).toMatchObject({reason: 'Unschedulable', message})
    expect(events).toContainEqual({reason: 'FailedScheduling', message, name: 'big'})
    await createNode(makeNode('large', {cpu: '4'}))
    expect(await waitFor('big bound', () => boundNode('big'))).toBe('large')
    expect((await getPod('big')).status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True')
  })

  it('schedules a waiting pod once a bound pod is deleted and frees its share', async () => {
    await createNode(makeNode('n1', {cpu: '2'}))
    await createPod(makePod('first', {cpu: '2'}))
    await waitFor('first bound', () => boundNode('first'))
    await createPod(makePod('second', {cpu: '2'}))
    await waitFor('second unschedulable', async () => events.some((e) => e.name === 'second' && e.reason === 'FailedScheduling'))
    await registry.delete(PODS, 'default', 'first', {gracePeriodSeconds: 0})
    expect(await waitFor('second bound', () => boundNode('second'))).toBe('n1')
  })

  it('leaves pods addressed to another scheduler alone', async () => {
    await createNode(makeNode('n1'))
    await createPod(makePod('theirs', {spec: {schedulerName: 'someone-else'}}))
    await createPod(makePod('ours'))
    await waitFor('ours bound', () => boundNode('ours'))
    expect(await boundNode('theirs')).toBeUndefined()
  })
})
