// Image pulls on `--driver docker`, with the real kubectl and real pulls by dockerd from a registry the
// test serves on 127.0.0.1 (dockerd talks plain HTTP to 127.0.0.0/8): IfNotPresent pulls once with
// Pulling/Pulled events, Always pulls again, and an unreachable registry gives ErrImagePull, then
// ImagePullBackOff on a back-off, never a retry loop. Nothing leaves loopback.
import {execa} from 'execa'
import {randomBytes} from 'node:crypto'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {startLoopbackRegistry, type LoopbackRegistry} from '../../support/loopback-registry.js'
import {eventually, type E2ECluster} from '../harness.js'

const SOURCE = 'kcluster-test/busybox:1'
/** Each manifest request is held this long, so a pull lasts over a second and events can be ordered by second. */
const PULL_DELAY_MS = 1200
/** Port 1 on loopback: nothing listens, so every pull is refused at once. */
const UNREACHABLE = '127.0.0.1:1/kcluster-e2e/absent:1'

interface PodEvent {
  name: string
  type: string
  reason: string
  message: string
  count?: number
  firstTimestamp: string
}

function podYaml(name: string, image: string, policy: string): string {
  // sleep as PID 1 ignores SIGTERM: a short grace period keeps deletes quick.
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: '${image}', imagePullPolicy: ${policy}, command: [sleep, '3600']}]
`
}

/** The pod's events in the order they were recorded (event names end in the hex nanoseconds of their recording). */
async function podEvents(k: E2ECluster, pod: string): Promise<PodEvent[]> {
  const list = JSON.parse(await k.kubectlOk(['get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'json']))
  const at = (e: PodEvent) => BigInt(`0x${e.name.slice(e.name.lastIndexOf('.') + 1)}`)
  return (list.items as Array<{metadata: {name: string}} & Omit<PodEvent, 'name'>>)
    .map((e) => ({...e, name: e.metadata.name}))
    .sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0))
}

/** The events as `kubectl get events` would list them, for failure messages. */
function summary(events: PodEvent[]): string {
  return events.map((e) => `${e.firstTimestamp} ${e.reason} x${e.count ?? 1}: ${e.message}`).join('\n')
}

async function statusColumn(k: E2ECluster, pod: string): Promise<string | undefined> {
  return (await k.kubectlOk(['get', 'pod', pod, '--no-headers'])).split(/\s+/)[2]
}

/** Go's Duration.String() as the kubelet prints it in `Successfully pulled image "x" in 1.234s`. */
function pullSeconds(message: string): number {
  const match = / in (\d+(?:\.\d+)?)(ms|s) /.exec(message)
  if (!match) throw new Error(`no duration in ${JSON.stringify(message)}`)
  return Number(match[1]) / (match[2] === 'ms' ? 1000 : 1)
}

export function dockerImageCases(cluster: () => E2ECluster): void {
  let registry: LoopbackRegistry
  /** Every image a case may have pulled, to remove after (the source image keeps its own tag). */
  const pulled: string[] = []
  const pods = ['pulled-first', 'pulled-second', 'pulled-always', 'pulled-slowly', 'unpullable']
  const manifestRequests = (image: string) => {
    const repository = image.slice(image.indexOf('/') + 1, image.lastIndexOf(':'))
    return registry.requests.filter((r) => r.includes(`/v2/${repository}/manifests/`)).length
  }

  beforeAll(async () => {
    registry = await startLoopbackRegistry({source: SOURCE, delayMs: PULL_DELAY_MS})
  }, 60_000)
  afterAll(async () => {
    try {
      // Pods first: the engine keeps an image a container still uses.
      await cluster()?.kubectl(['delete', 'pod', ...pods, '--ignore-not-found', '--wait=true', '--timeout=30s'])
      for (const image of pulled) await execa('docker', ['rmi', image], {reject: false})
    } finally {
      await registry?.close()
    }
  }, 60_000)

  let image = ''

  it('pulls a missing IfNotPresent image from a registry with Pulling before Pulled, and a second pod uses it without pulling', async () => {
    const k = cluster()
    image = `${registry.host}/kcluster-e2e/pulled-${randomBytes(4).toString('hex')}:1`
    pulled.push(image)
    await k.kubectlOk(['apply', '-f', '-'], {input: podYaml('pulled-first', image, 'IfNotPresent')})
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/pulled-first', '--timeout=60s'])
    expect(manifestRequests(image)).toBeGreaterThanOrEqual(1)
    expect((await execa('docker', ['image', 'inspect', '-f', '{{.Id}}', image])).stdout).toBe((await execa('docker', ['image', 'inspect', '-f', '{{.Id}}', SOURCE])).stdout)

    const events = await eventually(async () => {
      const list = await podEvents(k, 'pulled-first')
      return list.some((e) => e.reason === 'Pulled') && list.some((e) => e.reason === 'Started') ? list : undefined
    }, 'the Pulled and Started events of pulled-first')
    const pulling = events.findIndex((e) => e.reason === 'Pulling' && e.message === `Pulling image "${image}"`)
    const pulledAt = events.findIndex((e) => e.reason === 'Pulled')
    expect(pulling, summary(events)).toBeGreaterThanOrEqual(0)
    expect(events[pulledAt]!.message).toMatch(new RegExp(`^Successfully pulled image "${image.replace(/[.]/g, '\\.')}" in \\S+ \\(\\S+ including waiting\\)`))
    // The pull took over PULL_DELAY_MS (the registry held the manifest): the duration reported covers it.
    expect(pullSeconds(events[pulledAt]!.message)).toBeGreaterThanOrEqual(PULL_DELAY_MS / 1000)
    expect(pulling).toBeLessThan(pulledAt)
    // Pulling is recorded when the pull starts: over a second before Pulled, so in an earlier second.
    expect(Date.parse(events[pulling]!.firstTimestamp), summary(events)).toBeLessThan(Date.parse(events[pulledAt]!.firstTimestamp))

    const before = manifestRequests(image)
    await k.kubectlOk(['apply', '-f', '-'], {input: podYaml('pulled-second', image, 'IfNotPresent')})
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/pulled-second', '--timeout=60s'])
    const second = await eventually(async () => {
      const list = await podEvents(k, 'pulled-second')
      return list.some((e) => e.reason === 'Pulled') ? list : undefined
    }, 'the Pulled event of pulled-second')
    expect(second.find((e) => e.reason === 'Pulled')!.message).toBe(`Container image "${image}" already present on machine`)
    expect(second.filter((e) => e.reason === 'Pulling')).toEqual([])
    expect(manifestRequests(image)).toBe(before)
    await k.kubectlOk(['delete', 'pod', 'pulled-first', 'pulled-second', '--wait=true', '--timeout=30s'])
  }, 120_000)

  it('pulls again with imagePullPolicy Always although the image is present: the registry sees the manifest request', async () => {
    const k = cluster()
    if (!image) {
      // Case (a) did not run (filtered or failed early): pull the image here so it is present.
      image = `${registry.host}/kcluster-e2e/pulled-${randomBytes(4).toString('hex')}:1`
      pulled.push(image)
      await execa('docker', ['pull', image])
    }
    await execa('docker', ['image', 'inspect', image])
    const before = manifestRequests(image)
    await k.kubectlOk(['apply', '-f', '-'], {input: podYaml('pulled-always', image, 'Always')})
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/pulled-always', '--timeout=60s'])
    expect(manifestRequests(image)).toBeGreaterThan(before)
    const events = await eventually(async () => {
      const list = await podEvents(k, 'pulled-always')
      return list.some((e) => e.reason === 'Pulled') ? list : undefined
    }, 'the Pulled event of pulled-always')
    expect(events.find((e) => e.reason === 'Pulled')!.message).toMatch(/^Successfully pulled image /)
    await k.kubectlOk(['delete', 'pod', 'pulled-always', '--wait=true', '--timeout=30s'])
  }, 90_000)

  it('an image from an unreachable registry fails to pull: ErrImagePull, then ImagePullBackOff with Failed and Back-off events, not a retry loop', async () => {
    const k = cluster()
    await k.kubectlOk(['apply', '-f', '-'], {input: podYaml('unpullable', UNREACHABLE, 'IfNotPresent')})
    await eventually(async () => (await statusColumn(k, 'unpullable')) === 'ErrImagePull', 'STATUS ErrImagePull', 30_000)
    const firstFailure = Date.now()
    const waiting = JSON.parse(await k.kubectlOk(['get', 'pod', 'unpullable', '-o', 'json'])).status.containerStatuses[0].state.waiting
    expect(waiting.message).toContain(`"${UNREACHABLE}"`)
    // The kubelet's image back-off: the second attempt comes 10 s after the first, and fails into ImagePullBackOff.
    await eventually(async () => (await statusColumn(k, 'unpullable')) === 'ImagePullBackOff', 'STATUS ImagePullBackOff', 30_000, 500)
    const described = await k.kubectlOk(['describe', 'pod', 'unpullable'])
    expect(described).toMatch(new RegExp(`Warning\\s+Failed\\s+.*Failed to pull image "${UNREACHABLE.replace(/[.]/g, '\\.')}"`))
    expect(described).toMatch(/Warning\s+Failed\s+.*Error: ErrImagePull/)
    expect(described).toContain(`Back-off pulling image "${UNREACHABLE}"`)
    // Over the 15 s after the first failure: two attempts of a few events each, not one per reconcile.
    await new Promise((r) => setTimeout(r, Math.max(0, firstFailure + 15_000 - Date.now())))
    const events = await podEvents(k, 'unpullable')
    const total = events.reduce((sum, e) => sum + (e.count ?? 1), 0)
    expect(total, summary(events)).toBeLessThanOrEqual(12)
    expect(events.find((e) => e.message.startsWith('Failed to pull image'))!.count ?? 1).toBeLessThanOrEqual(2)
  }, 90_000)

  it('kubectl logs of a container that cannot be pulled answers 400: waiting to start, trying and failing to pull image', async () => {
    const k = cluster()
    await k.kubectlOk(['apply', '-f', '-'], {input: podYaml('unpullable', UNREACHABLE, 'IfNotPresent')})
    await eventually(async () => ['ErrImagePull', 'ImagePullBackOff'].includes((await statusColumn(k, 'unpullable')) ?? ''), 'a pull failure', 30_000)
    const logs = await k.kubectl(['logs', 'unpullable'])
    expect(logs.exitCode).toBe(1)
    expect(logs.stderr.trim()).toBe('Error from server (BadRequest): container "app" in pod "unpullable" is waiting to start: trying and failing to pull image')
    await k.kubectlOk(['delete', 'pod', 'unpullable', '--wait=true', '--timeout=30s'])
  }, 60_000)

  it('a slow pull reports its progress as Pulling events while it runs, then Pulled', async () => {
    const k = cluster()
    // A layer dockerd has never seen, sent at 200 kB/s: a pull of several seconds that downloads something.
    const slow = await startLoopbackRegistry({source: SOURCE, freshLayerBytes: 1_500_000, bytesPerSecond: 200_000})
    try {
      const image = `${slow.host}/kcluster-e2e/pulled-slowly-${randomBytes(4).toString('hex')}:1`
      pulled.push(image)
      await k.kubectlOk(['apply', '-f', '-'], {input: podYaml('pulled-slowly', image, 'IfNotPresent')})
      await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/pulled-slowly', '--timeout=60s'])
      const events = await eventually(async () => {
        const list = await podEvents(k, 'pulled-slowly')
        return list.some((e) => e.reason === 'Pulled') ? list : undefined
      }, 'the Pulled event of pulled-slowly')
      const escaped = image.replace(/[.]/g, '\\.')
      const started = events.findIndex((e) => e.reason === 'Pulling' && e.message === `Pulling image "${image}"`)
      const progress = events.findIndex((e) => e.reason === 'Pulling' && new RegExp(`^Pulling image "${escaped}": \\d+ of \\d+ layers done`).test(e.message))
      const done = events.findIndex((e) => e.reason === 'Pulled')
      expect(started, summary(events)).toBeGreaterThanOrEqual(0)
      expect(progress, summary(events)).toBeGreaterThan(started)
      expect(done, summary(events)).toBeGreaterThan(progress)
      expect(events[done]!.message).toMatch(/^Successfully pulled image /)
      // Recorded while the pull ran, not at its end: in an earlier second than Pulled.
      expect(Date.parse(events[progress]!.firstTimestamp), summary(events)).toBeLessThan(Date.parse(events[done]!.firstTimestamp))
      expect(slow.requests.filter((r) => r.includes('/blobs/')).length).toBeGreaterThanOrEqual(2)
      await k.kubectlOk(['delete', 'pod', 'pulled-slowly', '--wait=true', '--timeout=30s'])
    } finally {
      await slow.close()
    }
  }, 90_000)
}
