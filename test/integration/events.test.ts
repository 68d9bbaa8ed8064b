// The event recorder writing through a real control plane: what `kubectl describe`, `kubectl events`
// and `kubectl get events` read back, and the TTL controller removing old events.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ControllerDeps} from '../../src/cluster/controlplane/control-plane.js'
import {createEventTtlController} from '../../src/cluster/events/event-ttl.js'
import {EventRecorder} from '../../src/cluster/events/recorder.js'
import {NODE_NAME, TABLE_ACCEPT, eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {POD_PATH, mustCreate, pod} from './objects.js'

const EVENTS = '/api/v1/namespaces/default/events'
const selector = (s: string) => `${EVENTS}?fieldSelector=${encodeURIComponent(s)}`

async function clusterWithEvents(ttlMs?: number): Promise<{k: TestCluster; deps: ControllerDeps}> {
  let deps: ControllerDeps | undefined
  // The recorder alone writes events here: no scheduler adds its own Scheduled events to the pods.
  const k = await startTestCluster({
    disableControllers: ['scheduler:default-scheduler'],
    extraControllers: (d) => {
      deps = d
      return [createEventTtlController(d, ttlMs)]
    },
  })
  return {k, deps: deps!}
}

describe('events recorded for a pod', () => {
  let k: TestCluster
  let recorder: EventRecorder
  let name: string
  let uid: string
  beforeAll(async () => {
    const started = await clusterWithEvents()
    k = started.k
    recorder = new EventRecorder({registry: started.deps.registry, clock: started.deps.clock, component: 'kubelet', host: NODE_NAME})
    name = uniqueName('ev-web')
    const created = await mustCreate(k, POD_PATH('default'), pod(name))
    uid = created.metadata.uid
    recorder.event(created, 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', {fieldPath: 'spec.containers{nginx}'})
    recorder.event(created, 'Normal', 'Pulled', 'Successfully pulled image "nginx:1.27"', {fieldPath: 'spec.containers{nginx}'})
    for (let i = 0; i < 3; i++) recorder.event(created, 'Warning', 'BackOff', 'Back-off restarting failed container nginx in pod')
    await recorder.flush()
  })
  afterAll(async () => k?.stop())

  it('lists them by involvedObject.name with their counts', async () => {
    const r = await k.request('GET', selector(`involvedObject.name=${name}`))
    expect(r.status).toBe(200)
    const byReason = Object.fromEntries((r.json.items as any[]).map((e) => [e.reason, e]))
    expect(Object.keys(byReason).sort()).toEqual(['BackOff', 'Pulled', 'Pulling'])
    expect(byReason.BackOff).toMatchObject({count: 3, type: 'Warning', source: {component: 'kubelet', host: NODE_NAME}, involvedObject: {kind: 'Pod', name, uid}})
    expect(byReason.Pulling).toMatchObject({count: 1, involvedObject: {fieldPath: 'spec.containers{nginx}'}})
  })

  it('answers the selector kubectl describe sends', async () => {
    const r = await k.request('GET', `${selector(`involvedObject.namespace=default,involvedObject.uid=${uid},involvedObject.name=${name}`)}&limit=500`)
    expect(r.status).toBe(200)
    expect(r.json.items).toHaveLength(3)
  })

  it('serves the events Table with kubectl get events columns', async () => {
    const r = await k.request('GET', selector(`involvedObject.name=${name},reason=BackOff`), {accept: TABLE_ACCEPT})
    expect(r.status).toBe(200)
    const columns = (r.json.columnDefinitions as Array<{name: string; priority: number}>).filter((c) => c.priority === 0).map((c) => c.name)
    expect(columns).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message'])
    expect(r.json.rows).toHaveLength(1)
    const cells = r.json.rows[0].cells
    expect(cells.slice(1, 4)).toEqual(['Warning', 'BackOff', `pod/${name}`])
    expect(cells[6]).toBe('Back-off restarting failed container nginx in pod')
    expect(cells[8]).toBe(3)
  })
})

describe('event TTL controller', () => {
  const TTL_MS = 1000
  let k: TestCluster
  let deps: ControllerDeps
  beforeAll(async () => {
    ;({k, deps} = await clusterWithEvents(TTL_MS))
  })
  afterAll(async () => k?.stop())

  it('deletes events once their last occurrence is older than the TTL, not before', async () => {
    const recorder = new EventRecorder({registry: deps.registry, clock: deps.clock, component: 'kubelet', host: NODE_NAME})
    const name = uniqueName('ev-ttl')
    const created = await mustCreate(k, POD_PATH('default'), pod(name))
    // A watch opened first sees both the write and the deletion however slow the machine is; reading
    // the list after the flush would race the 1 s TTL on a loaded CI runner.
    const watch = await k.watch(`${selector(`involvedObject.name=${name}`)}&watch=true`)
    try {
      recorder.event(created, 'Normal', 'Scheduled', `Successfully assigned default/${name} to ${NODE_NAME}`)
      await recorder.flush()
      const added = await watch.next()
      expect(added.type).toBe('ADDED')
      const deleted = await watch.next(10_000)
      expect(deleted.type).toBe('DELETED')
      expect(deleted.object.metadata.name).toBe(added.object.metadata.name)
      // lastTimestamp has whole seconds, and the controller counts the TTL from it, as upstream does.
      expect(Date.now() - Date.parse(added.object.lastTimestamp)).toBeGreaterThanOrEqual(TTL_MS)
    } finally {
      watch.close()
    }
  })
})
