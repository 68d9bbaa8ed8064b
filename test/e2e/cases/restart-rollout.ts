// Acceptance item 7 of issue 3 (and issue 6's "control plane killed while a rollout is in flight"):
// the controllers survive a control-plane stop or kill -9 in the middle of a rollout and finish it
// without duplicate pods or containers. Containers must be slow to become ready,
// so that the rollout is still under way when stopped: on the simulated runtime, start the cluster with
// `--sim-start-delay`; on Docker, a readiness probe delays each pod (`readyAfterSeconds`).
import {execa} from 'execa'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml, backgroundKubectl, deploymentManifest, ensureNamespace, settledPods} from '../workloads.js'

const REPLICAS = 10
const SURGE = 2

interface RsView {
  name: string
  hash: string
  image: string
  replicas: number
  statusReplicas: number
  revision: string
}

async function replicaSets(k: E2ECluster, NS: string): Promise<RsView[]> {
  const list = JSON.parse(await k.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=web', '-o', 'json']))
  return list.items.map((rs: any) => ({
    name: rs.metadata.name,
    hash: rs.metadata.labels['pod-template-hash'],
    image: rs.spec.template.spec.containers[0].image,
    replicas: rs.spec.replicas,
    statusReplicas: rs.status.replicas ?? 0,
    revision: rs.metadata.annotations['deployment.kubernetes.io/revision'],
  }))
}

interface RuntimeContainer {
  podUid: string
  running: boolean
}

/**
 * This namespace's app containers as the runtime itself holds them, whatever the API says: the one
 * place where this case differs between the runtimes. The simulated runtime's table is replayed from
 * its journal (docs/architecture.md, "State on disk"); Docker's containers are found by their labels.
 */
async function runtimeContainers(k: E2ECluster, NS: string): Promise<RuntimeContainer[]> {
  if (k.driver === 'docker') {
    const filters = [`label=kcluster.io/cluster=${k.name}`, `label=kcluster.io/namespace=${NS}`, 'label=kcluster.io/role=app'].flatMap((f) => ['--filter', f])
    const {stdout} = await execa('docker', ['ps', '-a', ...filters, '--format', '{{.Label "kcluster.io/pod-uid"}} {{.State}}'])
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => ({podUid: line.split(' ')[0]!, running: line.split(' ')[1] === 'running'}))
  }
  const table = new Map<string, RuntimeContainer & {namespace: string}>()
  for (const line of readFileSync(join(k.home, k.name, 'sim-runtime.json'), 'utf8').split('\n')) {
    if (!line.trim()) continue
    const change = JSON.parse(line)
    if (change.del) table.delete(change.del)
    else table.set(change.put.id, {podUid: change.put.spec.podUid, namespace: change.put.spec.namespace, running: change.put.state.state === 'running'})
  }
  return [...table.values()].filter((c) => c.namespace === NS)
}

/** How the control plane goes away mid-rollout: a clean `kcluster stop`, or `kill -9` (its containers keep running). */
const INTERRUPTIONS = [
  {how: 'kcluster stop', NS: 'restart'},
  {how: 'kill -9 of the control plane', NS: 'restart-kill'},
] as const

async function interrupt(k: E2ECluster, how: (typeof INTERRUPTIONS)[number]['how']): Promise<void> {
  if (how === 'kcluster stop') {
    const stopped = await k.kcluster(['stop', '--name', k.name])
    expect(stopped.exitCode, stopped.all).toBe(0)
    return
  }
  process.kill(Number(readFileSync(join(k.home, k.name, 'control-plane.pid'), 'utf8').trim()), 'SIGKILL')
  await eventually(async () => (await k.kcluster(['status', '--name', k.name])).exitCode !== 0, 'the control plane gone')
}

export function restartRolloutCases(cluster: () => E2ECluster): void {
  for (const {how, NS} of INTERRUPTIONS) it(`a rollout interrupted by ${how} finishes after kcluster start, with exactly 10 new pods and no duplicates`, {timeout: 90_000}, async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'web', namespace: NS, replicas: REPLICAS, maxSurge: SURGE, maxUnavailable: 0, readyAfterSeconds: 1}))
    await k.kubectlOk(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=30s'], {timeout: 40_000})
    const [old] = await replicaSets(k, NS)

    await k.kubectlOk(['set', 'image', 'deployment/web', '-n', NS, 'main=kcluster-test/busybox:2'])
    // Stop once the first new pods are ready: with a slow container start, most of the rollout remains.
    const midway = await eventually(async () => {
      const d = JSON.parse(await k.kubectlOk(['get', 'deployment', 'web', '-n', NS, '-o', 'json'])).status
      return (d.updatedReplicas ?? 0) >= 1 && d
    }, 'the rollout to be under way', 20_000, 100)
    await interrupt(k, how)
    expect(midway.updatedReplicas).toBeLessThan(REPLICAS)

    const started = await k.kcluster(['start', '--name', k.name, '--wait', '60s'], {timeout: 90_000})
    expect(started.exitCode, started.all).toBe(0)
    const watch = backgroundKubectl(k, ['get', 'pods', '-n', NS, '-l', 'app=web', '-w', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name} {.object.metadata.deletionTimestamp}-{"\\n"}'])
    const status = await k.kubectl(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=60s'], {timeout: 70_000})
    await watch.stop()
    expect(status.exitCode, status.all).toBe(0)
    expect(status.stdout).toContain('deployment "web" successfully rolled out')

    // Never more pods than replicas + maxSurge alive at once after the restart.
    const alive = new Set<string>()
    let maxAlive = 0
    for (const line of watch.lines()) {
      const [type, name, deletion] = line.split(' ')
      if (type === 'DELETED' || deletion !== '-') alive.delete(name!)
      else alive.add(name!)
      maxAlive = Math.max(maxAlive, alive.size)
    }
    // The first listing after the restart still had pods of the old template: the rollout was unfinished.
    expect(watch.lines().some((l) => l.startsWith(`ADDED ${old!.name}-`))).toBe(true)
    expect(maxAlive).toBeLessThanOrEqual(REPLICAS + SURGE)

    const rs = await replicaSets(k, NS)
    expect(rs).toHaveLength(2)
    const fresh = rs.find((r) => r.name !== old!.name)!
    expect(fresh).toMatchObject({image: 'kcluster-test/busybox:2', replicas: REPLICAS, statusReplicas: REPLICAS, revision: '2'})
    expect(rs.find((r) => r.name === old!.name)).toMatchObject({replicas: 0, statusReplicas: 0})

    const pods = await settledPods(k, NS, 'app=web', REPLICAS)
    expect(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === fresh.hash && p.spec.containers[0]!.image === 'kcluster-test/busybox:2')).toBe(true)
    expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(REPLICAS)
    // One running container per pod in the runtime, and none left over from old or duplicate pods. A
    // restarted container's previous instance may stay (for `kubectl logs --previous`): at most one
    // container per restart, besides the running one.
    const uids = pods.map((p) => p.metadata.uid).sort()
    const restarts = new Map<string, number>(
      JSON.parse(await k.kubectlOk(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json'])).items.map((p: any) => [p.metadata.uid, p.status.containerStatuses[0].restartCount]),
    )
    let held: RuntimeContainer[] = []
    await eventually(
      async () => {
        held = await runtimeContainers(k, NS)
        const running = held.filter((c) => c.running).map((c) => c.podUid).sort()
        const perPod = (uid: string) => held.filter((c) => c.podUid === uid).length
        return JSON.stringify(running) === JSON.stringify(uids) && held.every((c) => restarts.has(c.podUid) && perPod(c.podUid) <= 1 + restarts.get(c.podUid)!)
      },
      "the runtime to hold exactly the 10 pods' containers",
      10_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}; runtime holds ${JSON.stringify(held)}; restart counts ${JSON.stringify([...restarts])}`)
    })
  })
}
