// Acceptance item 6 of issue 3: a Service's Endpoints and EndpointSlices list ready pods as ready and
// the others as not ready, following readiness as it changes. Readiness is driven by a pod readiness
// gate, which the test flips through the status subresource as a real gate's controller would.
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml, deploymentManifest, ensureNamespace, GATE, setGate, settledPods, type PodSummary} from '../workloads.js'

const NS = 'endpoints'

interface Addresses {
  ready: string[]
  notReady: string[]
}

const sorted = (ips: string[]) => [...ips].sort()

async function endpointsOf(k: E2ECluster, service: string): Promise<Addresses & {ports: unknown}> {
  const ep = JSON.parse(await k.kubectlOk(['get', 'endpoints', service, '-n', NS, '-o', 'json']))
  const subsets: any[] = ep.subsets ?? []
  return {
    ready: sorted(subsets.flatMap((s) => (s.addresses ?? []).map((a: any) => a.ip))),
    notReady: sorted(subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a: any) => a.ip))),
    ports: subsets.map((s) => s.ports),
  }
}

async function slicesOf(k: E2ECluster, service: string): Promise<Addresses & {ports: unknown}> {
  const list = JSON.parse(await k.kubectlOk(['get', 'endpointslices', '-n', NS, '-l', `kubernetes.io/service-name=${service}`, '-o', 'json']))
  const endpoints: any[] = list.items.flatMap((s: any) => s.endpoints ?? [])
  return {
    ready: sorted(endpoints.filter((e) => e.conditions.ready).flatMap((e) => e.addresses)),
    notReady: sorted(endpoints.filter((e) => !e.conditions.ready).flatMap((e) => e.addresses)),
    ports: list.items.map((s: any) => s.ports),
  }
}

/** Waits until both the Endpoints and the EndpointSlices say exactly `want`. */
async function expectAddresses(k: E2ECluster, service: string, want: Addresses): Promise<void> {
  const expected = {ready: sorted(want.ready), notReady: sorted(want.notReady)}
  let last: unknown
  await eventually(async () => {
    const [ep, slices] = await Promise.all([endpointsOf(k, service), slicesOf(k, service)])
    last = {endpoints: ep, slices}
    const same = (a: Addresses) => JSON.stringify({ready: a.ready, notReady: a.notReady}) === JSON.stringify(expected)
    return same(ep) && same(slices)
  }, `endpoints of ${service} to be ${JSON.stringify(expected)}`, 15_000).catch((error) => {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(last)}`)
  })
}

function readyCondition(pod: PodSummary): {status: string; reason?: string; message?: string} | undefined {
  return pod.status.conditions?.find((c) => c.type === 'Ready')
}

export function endpointsCases(cluster: () => E2ECluster): void {
  it('a Service\'s Endpoints and EndpointSlices list only ready pods as ready, as readiness changes', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(
      k,
      `${deploymentManifest({name: 'gated', namespace: NS, replicas: 3, gated: true})}---
apiVersion: v1
kind: Service
metadata: {name: gated, namespace: ${NS}}
spec:
  selector: {app: gated}
  ports: [{name: web, port: 80, targetPort: http}]
`,
    )
    const pods = await eventually(async () => {
      const list = await settledPods(k, NS, 'app=gated', 3)
      return list.every((p) => p.status.podIP && p.status.conditions?.some((c) => c.type === 'ContainersReady' && c.status === 'True')) && list
    }, 'the 3 pods to run with IPs', 15_000)
    const [a, b, c] = pods
    const ip = (p: PodSummary) => p.status.podIP!
    for (const pod of pods)
      expect(readyCondition(pod)).toMatchObject({
        status: 'False',
        reason: 'ReadinessGatesNotReady',
        message: `corresponding condition of pod readiness gate "${GATE}" does not exist.`,
      })
    expect(await k.kubectlOk(['get', 'pods', '-n', NS, '-l', 'app=gated', '-o', 'wide'])).toMatch(/^gated-\S+\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+\S+\s+<none>\s+0\/1$/m)

    // Running but not ready: every address is listed as not ready, with the named port resolved.
    await expectAddresses(k, 'gated', {ready: [], notReady: pods.map(ip)})
    expect((await endpointsOf(k, 'gated')).ports).toEqual([[{name: 'web', port: 8080, protocol: 'TCP'}]])
    expect((await slicesOf(k, 'gated')).ports).toEqual([[{name: 'web', port: 8080, protocol: 'TCP'}]])

    await setGate(k, NS, a!.metadata.name, 'True')
    await expectAddresses(k, 'gated', {ready: [ip(a!)], notReady: [ip(b!), ip(c!)]})
    const readyA = JSON.parse(await k.kubectlOk(['get', 'pod', a!.metadata.name, '-n', NS, '-o', 'json'])) as PodSummary
    expect(readyCondition(readyA)).toMatchObject({status: 'True'})
    // The agent keeps the gate's condition, which it does not own, through its own status writes.
    expect(readyA.status.conditions?.find((x) => x.type === GATE)).toMatchObject({status: 'True'})

    await setGate(k, NS, b!.metadata.name, 'True')
    await expectAddresses(k, 'gated', {ready: [ip(a!), ip(b!)], notReady: [ip(c!)]})
    const line = (await k.kubectlOk(['describe', 'service', 'gated', '-n', NS])).split('\n').find((l) => l.startsWith('Endpoints:'))!
    expect(line.replace(/^Endpoints:\s+/, '').trim().split(',').sort()).toEqual(sorted([`${ip(a!)}:8080`, `${ip(b!)}:8080`]))

    await setGate(k, NS, a!.metadata.name, 'False')
    await expectAddresses(k, 'gated', {ready: [ip(b!)], notReady: [ip(a!), ip(c!)]})
    const unreadyA = JSON.parse(await k.kubectlOk(['get', 'pod', a!.metadata.name, '-n', NS, '-o', 'json'])) as PodSummary
    expect(readyCondition(unreadyA)).toMatchObject({
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: `the status of pod readiness gate "${GATE}" is not "True", but False`,
    })
    expect(await k.kubectlOk(['get', 'deployment', 'gated', '-n', NS, '-o', 'jsonpath={.status.readyReplicas}'])).toBe('1')

    // A ready pod that goes away leaves both lists; its replacement starts out not ready.
    await k.kubectlOk(['delete', 'pod', b!.metadata.name, '-n', NS, '--timeout=30s'])
    const after = await eventually(async () => {
      const list = await settledPods(k, NS, 'app=gated', 3)
      return list.every((p) => p.status.podIP) && list
    }, 'the replacement pod to get an IP', 15_000)
    const replacement = after.find((p) => ![a, b, c].some((old) => old!.metadata.uid === p.metadata.uid))!
    await expectAddresses(k, 'gated', {ready: [], notReady: [ip(a!), ip(c!), ip(replacement)]})
  })
}
