// The Docker runtime against the real engine: pods as a pause sandbox plus app containers. Needs the
// local image kcluster-test/busybox:1 (scripts/docker-up.sh); never pulls. Skipped without an engine,
// except under CI=true where a missing engine fails.
import {randomBytes, randomUUID} from 'node:crypto'
import Docker from 'dockerode'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/cluster/clock.js'
import {removeEverything, stopAllContainers} from '../../src/cluster/runtime/docker/cluster-lifecycle.js'
import {clusterNetworkName} from '../../src/cluster/runtime/docker/cluster-network.js'
import {DockerRuntime} from '../../src/cluster/runtime/docker/docker-runtime.js'
import {engine, itFindsDockerUnderCI} from '../support/docker-engine.js'
import {LABEL} from '../../src/cluster/runtime/docker/labels.js'
import {PAUSE_IMAGE, ensurePauseImage} from '../../src/cluster/runtime/docker/pause-image.js'
import type {ContainerSpec, RuntimeContainer} from '../../src/cluster/runtime/runtime.js'

const IMAGE = 'kcluster-test/busybox:1'
const run = randomBytes(3).toString('hex')
const cluster = `it-${run}`
const testPauseImage = `kcluster-test/pause:${run}`

function pod(name: string) {
  const podUid = randomUUID()
  return (containerName: string, script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
    namespace: 'default',
    podName: name,
    podUid,
    containerName,
    image: IMAGE,
    command: ['sh', '-c', script],
    restartCount: 0,
    ...extra,
  })
}

/** Polls until `check` returns a value, for at most `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function exited(runtime: DockerRuntime, id: string, ms?: number) {
  return waitFor(`container ${id.slice(0, 12)} to exit`, async () => {
    const found = (await runtime.list()).find((c) => c.id === id)
    return found?.state.state === 'exited' ? found : undefined
  }, ms)
}

itFindsDockerUnderCI()

describe.skipIf(!engine.ok)('DockerRuntime on the real engine', () => {
  const docker = new Docker()
  const runtime = new DockerRuntime({cluster, clock: systemClock, docker})
  const sandboxesOf = (podUid: string) => docker.listContainers({all: true, filters: {label: [`${LABEL.cluster}=${cluster}`, `${LABEL.role}=sandbox`, `${LABEL.podUid}=${podUid}`]}})

  beforeAll(async () => {
    await docker.getImage(IMAGE).inspect() // fails clearly when scripts/docker-up.sh was not run
  })

  afterAll(async () => {
    await removeEverything(cluster, {docker})
    await docker.getImage(testPauseImage).remove().catch(() => undefined)
  })

  it('is available', async () => {
    expect(await runtime.available()).toEqual({ok: true})
  })

  it('imports the pause binary as a one-file image whose container stops at once on SIGTERM', async () => {
    expect(await ensurePauseImage(docker, {image: testPauseImage})).toBe(true)
    expect(await ensurePauseImage(docker, {image: testPauseImage})).toBe(false)
    const image = await docker.getImage(testPauseImage).inspect()
    expect(image.Config.Cmd).toEqual(['/pause'])
    expect(image.Size).toBeLessThan(2_000_000)
    const container = await docker.createContainer({Image: testPauseImage, Labels: {[LABEL.cluster]: cluster}, HostConfig: {NetworkMode: 'none'}})
    await container.start()
    const began = Date.now()
    await container.stop({t: 10})
    expect(Date.now() - began).toBeLessThan(3000)
    expect((await container.inspect()).State.ExitCode).toBe(0)
    await container.remove({force: true})
  })

  it('uses local images under Never and IfNotPresent and refuses a missing one under Never', async () => {
    expect(await runtime.ensureImage(IMAGE, 'Never')).toMatchObject({pulled: false, size: expect.any(Number)})
    expect(await runtime.ensureImage(IMAGE, 'IfNotPresent')).toMatchObject({pulled: false})
    await expect(runtime.ensureImage(`kcluster-test/absent:${run}`, 'Never')).rejects.toMatchObject({code: 'ErrImageNeverPull'})
  })

  describe('a two-container pod', () => {
    const web = pod('web')
    let server: RuntimeContainer
    let client: RuntimeContainer

    beforeAll(async () => {
      // Started together, as the agent does: they must end up in one sandbox.
      ;[server, client] = await Promise.all([
        runtime.start(web('server', 'mkdir -p /www && echo hello-from-server > /www/index.html && exec httpd -f -p 8080 -h /www', {env: {GREETING: 'hi'}})),
        runtime.start(web('client', 'hostname; for i in $(seq 1 50); do wget -q -O - http://127.0.0.1:8080/index.html && exit 0; sleep 0.1; done; exit 1')),
      ])
    })

    it('runs both containers in one sandbox with one pod IP, and imports the pause image', async () => {
      expect(server.state.state).toBe('running')
      expect(server.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
      expect(client.podIP).toBe(server.podIP)
      expect(await sandboxesOf(server.spec.podUid)).toHaveLength(1)
      await docker.getImage(PAUSE_IMAGE).inspect()
      const network = await docker.getNetwork(clusterNetworkName(cluster)).inspect()
      expect(network.Labels).toMatchObject({[LABEL.cluster]: cluster})
    })

    it('shares localhost between the containers and the pod name as hostname', async () => {
      const done = await exited(runtime, client.id)
      expect(done.state).toMatchObject({exitCode: 0, reason: 'Completed'})
      const logs = await runtime.logs(client.id)
      expect(logs).toContain('hello-from-server')
      expect(logs.split('\n')[0]).toBe('web')
    })

    it('answers HTTP on the pod IP from the host', async () => {
      const body = await waitFor('the pod to answer HTTP', async () => {
        try {
          const response = await fetch(`http://${server.podIP}:8080/index.html`, {signal: AbortSignal.timeout(1000)})
          return await response.text()
        } catch {
          return undefined
        }
      })
      expect(body).toBe('hello-from-server\n')
    })

    it('is rediscovered from labels by a fresh runtime', async () => {
      const fresh = new DockerRuntime({cluster, clock: systemClock})
      const found = await fresh.list({namespace: 'default', podName: 'web'})
      expect(found.map((c) => c.id).sort()).toEqual([server.id, client.id].sort())
      const again = found.find((c) => c.id === server.id)!
      expect(again.spec).toEqual(server.spec)
      expect(again.spec.env).toEqual({GREETING: 'hi'})
      expect(again.podIP).toBe(server.podIP)
      expect(await fresh.list({podUid: server.spec.podUid})).toHaveLength(2)
      expect(await new DockerRuntime({cluster: `${cluster}-other`, clock: systemClock}).list()).toEqual([])
    })

    it('keeps the sandbox until the last container is removed', async () => {
      await runtime.remove(client.id)
      expect(await sandboxesOf(server.spec.podUid)).toHaveLength(1)
      await runtime.stop(server.id, 1)
      await runtime.remove(server.id)
      expect(await sandboxesOf(server.spec.podUid)).toHaveLength(0)
      expect(await runtime.list({podUid: server.spec.podUid})).toEqual([])
      await runtime.remove(server.id) // removing twice is fine
    })
  })

  it('prepares a pod before its first container (its IP known early, the same sandbox reused), lists it, and removes it only while no container uses it', async () => {
    const spec = pod(`early-${run}`)('app', 'sleep 30')
    const {podIP} = await runtime.preparePod(spec)
    expect(podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(await runtime.preparedPods({podName: spec.podName})).toEqual([{namespace: 'default', podName: spec.podName, podUid: spec.podUid}])
    const started = await runtime.start(spec)
    expect(started.podIP).toBe(podIP)
    expect(await sandboxesOf(spec.podUid)).toHaveLength(1)
    await runtime.removePod(spec.podUid)
    expect(await sandboxesOf(spec.podUid)).toHaveLength(1)
    await runtime.remove(started.id)
    expect(await sandboxesOf(spec.podUid)).toHaveLength(0)

    const abandoned = pod(`abandoned-${run}`)('app', 'sleep 30')
    await runtime.preparePod(abandoned)
    await runtime.removePod(abandoned.podUid)
    expect(await sandboxesOf(abandoned.podUid)).toHaveLength(0)
    expect(await runtime.preparedPods({podName: abandoned.podName})).toEqual([])
  })

  it('reports exit 0 as Completed and exit 3 as Error with its code', async () => {
    const jobs = pod('jobs')
    const [ok, bad] = await Promise.all([runtime.start(jobs('ok', 'echo done')), runtime.start(jobs('bad', 'echo failing >&2; exit 3'))])
    expect((await exited(runtime, ok.id)).state).toMatchObject({state: 'exited', exitCode: 0, reason: 'Completed', startedAt: expect.any(Date), finishedAt: expect.any(Date)})
    expect((await exited(runtime, bad.id)).state).toMatchObject({exitCode: 3, reason: 'Error'})
    expect(await runtime.logs(bad.id)).toBe('failing\n')
  })

  it('follows logs as they are written until the container exits', async () => {
    const talk = pod('talk')
    const started = await runtime.start(talk('main', 'for i in 1 2 3; do echo line $i; sleep 0.2; done; echo oops >&2'))
    const stream = await runtime.followLogs(started.id, {signal: AbortSignal.timeout(10_000)})
    let text = ''
    for await (const chunk of stream) text += chunk.toString()
    expect(text).toBe('line 1\nline 2\nline 3\noops\n')
  })

  it('tells subscribers when a container exits on its own', async () => {
    const seen: RuntimeContainer[] = []
    const unsubscribe = runtime.subscribe((c) => seen.push(c))
    try {
      const quits = pod('quits')
      // The delay lets the event stream connect before the exit.
      const started = await runtime.start(quits('main', 'sleep 0.5; exit 5'))
      const event = await waitFor('the exit event', async () => seen.find((c) => c.id === started.id))
      expect(event.state).toMatchObject({state: 'exited', exitCode: 5, reason: 'Error'})
      expect(event.spec.podName).toBe('quits')
    } finally {
      unsubscribe()
    }
  })

  it('reports a container killed for exceeding its memory limit as OOMKilled', async () => {
    const hog = pod('hog')
    const started = await runtime.start(hog('hog', 'x=a; while true; do x=$x$x; done', {memoryLimitBytes: 16 * 1024 * 1024}))
    const done = await exited(runtime, started.id, 20_000)
    expect(done.state).toMatchObject({exitCode: 137, reason: 'OOMKilled'})
  })

  it('reports a command that cannot be executed as a StartError exit', async () => {
    const broken = pod('broken')
    const started = await runtime.start(broken('main', '', {command: ['/no/such/binary']}))
    expect(started.state).toMatchObject({state: 'exited', reason: 'StartError'})
  })

  it('lets a process that handles SIGTERM exit within the grace period and kills one that ignores it when it ends', async () => {
    const term = pod('term')
    const [polite, stubborn] = await Promise.all([
      runtime.start(term('polite', 'trap "exit 0" TERM; echo ready; while true; do sleep 0.1; done')),
      runtime.start(term('stubborn', 'trap "" TERM; echo ready; while true; do sleep 0.1; done')),
    ])
    for (const c of [polite, stubborn]) await waitFor('the trap to be set', async () => ((await runtime.logs(c.id)).includes('ready') ? true : undefined))
    let began = Date.now()
    await runtime.stop(polite.id, 5)
    expect(Date.now() - began).toBeLessThan(2500)
    expect((await exited(runtime, polite.id, 1000)).state).toMatchObject({exitCode: 0})
    began = Date.now()
    await runtime.stop(stubborn.id, 2)
    const took = Date.now() - began
    expect(took).toBeGreaterThanOrEqual(1900)
    expect(took).toBeLessThan(6000)
    expect((await exited(runtime, stubborn.id, 1000)).state).toMatchObject({exitCode: 137, reason: 'Error'})
  })

  it('keeps every pod IP across a stop of the whole cluster and a start in the other order', async () => {
    const specs = ['ip-a', 'ip-b', 'ip-c'].map((name) => pod(`${name}-${run}`)('main', 'exec sleep 1000'))
    const before: string[] = []
    for (const spec of specs) before.push((await runtime.start(spec)).podIP!)
    expect(new Set(before).size).toBe(3)
    await stopAllContainers(cluster, {docker, graceSeconds: 0})
    // Docker would hand dynamic addresses out again in this start order: the last pod the first IP.
    const after = new Map<string, string | undefined>()
    for (const spec of [...specs].reverse()) after.set(spec.podName, (await runtime.start({...spec, restartCount: 1})).podIP)
    expect(specs.map((s) => after.get(s.podName))).toEqual(before)
    for (const spec of specs) for (const c of await runtime.list({podUid: spec.podUid})) await runtime.remove(c.id)
  })

  it('stops a whole cluster, adopts the stopped sandbox on the next start, then removes everything', async () => {
    const keep = pod('keep')
    const first = await runtime.start(keep('main', 'exec sleep 1000'))
    const [sandbox] = await sandboxesOf(first.spec.podUid)
    const result = await stopAllContainers(cluster, {docker, graceSeconds: 1})
    expect(result.stopped).toBeGreaterThanOrEqual(2)
    expect(await docker.listContainers({filters: {label: [`${LABEL.cluster}=${cluster}`], status: ['running']}})).toEqual([])

    const second = await runtime.start({...keep('main', 'exec sleep 1000'), podUid: first.spec.podUid, restartCount: 1})
    expect(second.state.state).toBe('running')
    const after = await sandboxesOf(first.spec.podUid)
    expect(after.map((s) => s.Id)).toEqual([sandbox.Id])
    expect(after[0].State).toBe('running')
    expect(second.podIP).toBeDefined()

    const removed = await removeEverything(cluster, {docker})
    expect(removed.containers).toBeGreaterThanOrEqual(3)
    expect(removed.networks).toBe(1)
    expect(await docker.listContainers({all: true, filters: {label: [`${LABEL.cluster}=${cluster}`]}})).toEqual([])
    expect(await docker.listNetworks({filters: {label: [`${LABEL.cluster}=${cluster}`]}})).toEqual([])
  })
})
