// Container probes against a real container on the Docker engine: httpGet and tcpSocket to the pod IP
// on the cluster's bridge network, exec through Docker exec. Needs the local image
// kcluster-test/busybox:1 (scripts/docker-up.sh); never pulls. Skipped without an engine, except under
// CI=true where a missing engine fails.
import {randomBytes, randomUUID} from 'node:crypto'
import Docker from 'dockerode'
import type {Container} from 'kubernetes-types/core/v1.js'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {execViaStreams} from '../../src/cluster/agent/probes/exec-via-streams.js'
import {ProbeManager, type ProbeTarget} from '../../src/cluster/agent/probes/probe-manager.js'
import {systemClock} from '../../src/cluster/clock.js'
import {removeEverything} from '../../src/cluster/runtime/docker/cluster-lifecycle.js'
import {DockerRuntime} from '../../src/cluster/runtime/docker/docker-runtime.js'
import {DockerStreams} from '../../src/cluster/runtime/docker/docker-streams.js'
import {engine, itFindsDockerUnderCI} from '../support/docker-engine.js'
import type {RuntimeContainer} from '../../src/cluster/runtime/runtime.js'
import {pollUntil} from '../support/eventually.js'

const IMAGE = 'kcluster-test/busybox:1'
const cluster = `it-probes-${randomBytes(3).toString('hex')}`

itFindsDockerUnderCI()

describe.skipIf(!engine.ok)('probes against a container on the real engine', () => {
  const docker = new Docker()
  const runtime = new DockerRuntime({cluster, clock: systemClock, docker})
  const podUid = randomUUID()
  let web: RuntimeContainer
  const managers: ProbeManager[] = []

  beforeAll(async () => {
    await docker.getImage(IMAGE).inspect() // fails clearly when scripts/docker-up.sh was not run
    web = await runtime.start({
      namespace: 'default', podName: 'web', podUid, containerName: 'app', image: IMAGE, restartCount: 0,
      command: ['sh', '-c', 'mkdir -p /www /tmp && echo ok > /www/index.html && touch /tmp/healthy && exec httpd -f -p 8080 -h /www'],
    })
    expect(web.state.state).toBe('running')
  })

  afterEach(() => {
    for (const m of managers.splice(0)) m.stop()
  })

  afterAll(async () => {
    await removeEverything(cluster, {docker})
  })

  /** A manager probing the running container under a fresh container ID, recording its Unhealthy messages. */
  function probe(container: Omit<Container, 'name'>) {
    const events: string[] = []
    const manager = new ProbeManager({
      clock: systemClock,
      exec: execViaStreams(new DockerStreams(runtime)),
      onChange: () => undefined,
      events: {unhealthy: (_t, _k, message) => events.push(message)},
    })
    managers.push(manager)
    const id = randomUUID()
    const target: ProbeTarget = {podUid, namespace: 'default', podName: 'web', podIP: web.podIP, container: {name: 'app', ...container}, containerId: id, startedAt: new Date()}
    manager.sync(podUid, [target])
    return {manager, events, id}
  }

  it('marks the container ready when httpGet on a named port of the pod IP answers 200', async () => {
    const {manager, id} = probe({ports: [{name: 'http', containerPort: 8080}], readinessProbe: {httpGet: {path: '/index.html', port: 'http'}, periodSeconds: 1}})
    await pollUntil(async () => manager.ready(podUid, id), 'readiness over HTTP', 15_000, 50)
  })

  it('reports a 404 with the kubelet\'s message and keeps the container unready', async () => {
    const {manager, events, id} = probe({readinessProbe: {httpGet: {path: '/missing', port: 8080}, periodSeconds: 1}})
    await pollUntil(async () => events.length > 0, 'a failed readiness probe', 15_000, 50)
    expect(events[0]).toBe('Readiness probe failed: HTTP probe failed with statuscode: 404')
    expect(manager.ready(podUid, id)).toBe(false)
  })

  it('condemns the container when nothing listens on the tcpSocket port, with Go\'s dial error', async () => {
    const {manager, events, id} = probe({livenessProbe: {tcpSocket: {port: 81}, periodSeconds: 1, failureThreshold: 2}})
    await pollUntil(async () => manager.mustRestart(podUid, id), 'the liveness verdict', 15_000, 50)
    expect(events).toEqual(Array(2).fill(`Liveness probe failed: dial tcp ${web.podIP}:81: connect: connection refused`))
  })

  it('runs exec probes in the container and puts their output in the event', async () => {
    const ok = probe({livenessProbe: {exec: {command: ['cat', '/tmp/healthy']}, periodSeconds: 1, failureThreshold: 1}, readinessProbe: {exec: {command: ['cat', '/tmp/healthy']}, periodSeconds: 1}})
    await pollUntil(async () => ok.manager.ready(podUid, ok.id), 'readiness over exec', 15_000, 50)
    expect(ok.manager.mustRestart(podUid, ok.id)).toBe(false)

    const bad = probe({livenessProbe: {exec: {command: ['cat', '/tmp/missing']}, periodSeconds: 1, failureThreshold: 1}})
    await pollUntil(async () => bad.manager.mustRestart(podUid, bad.id), 'the exec liveness verdict', 15_000, 50)
    expect(bad.events).toEqual(["Liveness probe failed: cat: can't open '/tmp/missing': No such file or directory"])
  })
})
