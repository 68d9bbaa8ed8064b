// The manager against real sockets on 127.0.0.1 (the pod IP in these targets): HTTP and TCP probes
// with the kubelet's event texts. Scheduling runs on a ManualClock; the probes' I/O is real, so the
// assertions wait (bounded) for results.
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {Container} from 'kubernetes-types/core/v1.js'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {ProbeManager, type ProbeTarget} from '../../../../src/cluster/agent/probes/probe-manager.js'
import {ManualClock} from '../../../../src/cluster/manual-clock.js'
import {pollUntil} from '../../../support/eventually.js'
import {freePort} from './free-port.js'

let server: Server
let port: number
let healthy = false

beforeAll(async () => {
  server = createServer((req, res) => void res.writeHead(healthy ? 200 : 500).end())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

const managers: ProbeManager[] = []
afterEach(() => {
  for (const m of managers.splice(0)) m.stop()
})

function setup() {
  const clock = new ManualClock()
  const events: string[] = []
  const manager = new ProbeManager({
    clock,
    exec: () => Promise.reject(new Error('no exec here')),
    onChange: () => undefined,
    events: {unhealthy: (_t, _k, message) => events.push(message)},
  })
  managers.push(manager)
  const target = (container: Container): ProbeTarget => ({podUid: 'p', namespace: 'default', podName: 'web', podIP: '127.0.0.1', container, containerId: 'c1', startedAt: clock.now()})
  return {clock, events, manager, target}
}

describe('ProbeManager with network probes', () => {
  it('marks a container ready once its httpGet readiness probe answers 200, resolving a named port', async () => {
    const {clock, events, manager, target} = setup()
    healthy = false
    manager.sync('p', [target({name: 'web', ports: [{name: 'http', containerPort: port}], readinessProbe: {httpGet: {path: '/ready', port: 'http'}}})])
    await pollUntil(async () => events.length > 0, 'the first readiness probe', 5_000, 10)
    expect(events).toEqual(['Readiness probe failed: HTTP probe failed with statuscode: 500'])
    expect(manager.ready('p', 'c1')).toBe(false)
    healthy = true
    await clock.advance(10_000)
    await pollUntil(async () => manager.ready('p', 'c1'), 'the container to become ready', 5_000, 10)
  })

  it('condemns a container whose tcpSocket liveness probe is refused, with Go\'s dial error in the events', async () => {
    const {clock, events, manager, target} = setup()
    const closed = await freePort()
    manager.sync('p', [target({name: 'db', livenessProbe: {tcpSocket: {port: closed}, periodSeconds: 1, failureThreshold: 2}})])
    await pollUntil(async () => events.length === 1, 'the first liveness probe', 5_000, 10)
    await clock.advance(1_000)
    await pollUntil(async () => manager.mustRestart('p', 'c1'), 'the liveness verdict', 5_000, 10)
    expect(events).toEqual(Array(2).fill(`Liveness probe failed: dial tcp 127.0.0.1:${closed}: connect: connection refused`))
  })
})
