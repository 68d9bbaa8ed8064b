// Acceptance item 7 of issue 3: the controllers survive a control-plane restart in the middle of a
// rollout and finish it without duplicate pods or containers. The cluster must be started with a slow
// simulated container start (`--sim-start-delay`) so that the rollout is still under way when stopped.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml, backgroundKubectl, deploymentManifest, ensureNamespace, settledPods} from '../workloads.js'

const NS = 'restart'
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

async function replicaSets(k: E2ECluster): Promise<RsView[]> {
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

/**
 * The simulated runtime's container table (the stand-in for what Docker holds), replayed from its
 * journal: docs/architecture.md, "State on disk". Only this namespace's containers.
 */
function runtimeContainers(k: E2ECluster): {podUid: string; podName: string; image: string}[] {
  const table = new Map<string, {podUid: string; podName: string; image: string; namespace: string}>()
  for (const line of readFileSync(join(k.home, k.name, 'sim-runtime.json'), 'utf8').split('\n')) {
    if (!line.trim()) continue
    const change = JSON.parse(line)
    if (change.del) table.delete(change.del)
    else table.set(change.put.id, change.put.spec)
  }
  return [...table.values()].filter((c) => c.namespace === NS)
}

export function restartRolloutCases(cluster: () => E2ECluster): void {
  it('a rollout interrupted by kcluster stop finishes after kcluster start, with exactly 10 new pods and no duplicates', {timeout: 90_000}, async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'web', namespace: NS, replicas: REPLICAS, maxSurge: SURGE, maxUnavailable: 0}))
    await k.kubectlOk(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=30s'], {timeout: 40_000})
    const [old] = await replicaSets(k)

    await k.kubectlOk(['set', 'image', 'deployment/web', '-n', NS, 'main=kcluster-test/busybox:2'])
    // Stop once the first new pods are ready: with a slow container start, most of the rollout remains.
    const midway = await eventually(async () => {
      const d = JSON.parse(await k.kubectlOk(['get', 'deployment', 'web', '-n', NS, '-o', 'json'])).status
      return (d.updatedReplicas ?? 0) >= 1 && d
    }, 'the rollout to be under way', 20_000, 100)
    const stopped = await k.kcluster(['stop', '--name', k.name])
    expect(stopped.exitCode, stopped.all).toBe(0)
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

    const rs = await replicaSets(k)
    expect(rs).toHaveLength(2)
    const fresh = rs.find((r) => r.name !== old!.name)!
    expect(fresh).toMatchObject({image: 'kcluster-test/busybox:2', replicas: REPLICAS, statusReplicas: REPLICAS, revision: '2'})
    expect(rs.find((r) => r.name === old!.name)).toMatchObject({replicas: 0, statusReplicas: 0})

    const pods = await settledPods(k, NS, 'app=web', REPLICAS)
    expect(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === fresh.hash && p.spec.containers[0]!.image === 'kcluster-test/busybox:2')).toBe(true)
    expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(REPLICAS)
    // One container per pod in the runtime, none left over from old or duplicate pods.
    const uids = pods.map((p) => p.metadata.uid).sort()
    await eventually(async () => JSON.stringify(runtimeContainers(k).map((c) => c.podUid).sort()) === JSON.stringify(uids), 'the runtime to hold exactly the 10 pods\' containers', 10_000).catch(
      (error) => {
        throw new Error(`${(error as Error).message}; runtime holds ${JSON.stringify(runtimeContainers(k))}`)
      },
    )
  })
}
