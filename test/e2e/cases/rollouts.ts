// Acceptance item 1 of issue 3: Deployments roll out, roll back, restart, pause and scale as on a real
// cluster, checked through the real kubectl.
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml, backgroundKubectl, deploymentManifest, settledPods, ensureNamespace} from '../workloads.js'

const NS = 'rollouts'
const IMAGE = (n: number) => `kcluster-test/busybox:${n}`

/** One watch line per pod event: type, name, deletionTimestamp ('-' if none), Ready status, image. */
const WATCH_FORMAT =
  'jsonpath={.type} {.object.metadata.name} {.object.metadata.deletionTimestamp}- {.object.status.conditions[?(@.type=="Ready")].status}- {.object.spec.containers[0].image}{"\\n"}'

interface PodView {
  ready: boolean
  deleting: boolean
  image: string
}

/**
 * Replays `kubectl get pods -w --output-watch-events` lines, calling `after` with the pods alive after
 * each event (a pod being deleted no longer counts: the ReplicaSet controller ignores it too).
 */
function replay(lines: string[], after: (pods: Map<string, PodView>, index: number) => void): void {
  const pods = new Map<string, PodView>()
  lines.forEach((line, index) => {
    const [type, name, deletion, ready, image] = line.split(' ')
    if (type === 'DELETED') pods.delete(name!)
    else pods.set(name!, {ready: ready === 'True-', deleting: deletion !== '-', image: image!})
    after(pods, index)
  })
}

async function rsSummary(k: E2ECluster, app: string): Promise<{name: string; replicas: number; image: string; revision: string; changeCause?: string}[]> {
  const list = JSON.parse(await k.kubectlOk(['get', 'rs', '-n', NS, '-l', `app=${app}`, '-o', 'json']))
  return list.items.map((rs: any) => ({
    name: rs.metadata.name,
    replicas: rs.spec.replicas,
    image: rs.spec.template.spec.containers[0].image,
    revision: rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
    changeCause: rs.metadata.annotations?.['kubernetes.io/change-cause'],
  }))
}

async function rolledOut(k: E2ECluster, name: string): Promise<void> {
  expect(await k.kubectlOk(['rollout', 'status', `deployment/${name}`, '-n', NS, '--timeout=30s'], {timeout: 40_000})).toContain(
    `deployment "${name}" successfully rolled out`,
  )
}

export function rolloutCases(cluster: () => E2ECluster): void {
  it('a 3-replica Deployment reaches 3/3 Available and set image rolls it without ever dropping below 3 ready pods', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'web', namespace: NS, replicas: 3, maxSurge: 1, maxUnavailable: 0, annotations: {'kubernetes.io/change-cause': 'initial'}}))
    await rolledOut(k, 'web')
    expect(await k.kubectlOk(['get', 'deployment', 'web', '-n', NS])).toMatch(/^web\s+3\/3\s+3\s+3\s+\S+$/m)
    const available = JSON.parse(await k.kubectlOk(['get', 'deployment', 'web', '-n', NS, '-o', 'json'])).status
    expect(available).toMatchObject({replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3})
    expect(available.conditions.find((c: any) => c.type === 'Available')).toMatchObject({status: 'True', reason: 'MinimumReplicasAvailable'})

    const watch = backgroundKubectl(k, ['get', 'pods', '-n', NS, '-l', 'app=web', '-w', '--output-watch-events', '-o', WATCH_FORMAT])
    await eventually(async () => watch.lines().length >= 3, 'the watch lists the 3 pods', 15_000)
    const initial = watch.lines().length
    await k.kubectlOk(['set', 'image', 'deployment/web', '-n', NS, `main=${IMAGE(2)}`])
    await k.kubectlOk(['annotate', 'deployment/web', '-n', NS, 'kubernetes.io/change-cause=image 2', '--overwrite'])
    await rolledOut(k, 'web')
    await settledPods(k, NS, 'app=web', 3)
    // The last old pod's deletion is the rollout's last pod event: wait for the watch to print it.
    await eventually(async () => {
      let oldLeft = -1
      replay(watch.lines(), (pods) => (oldLeft = [...pods.values()].filter((p) => p.image === IMAGE(1)).length))
      return oldLeft === 0
    }, 'the watch to show every old pod gone', 15_000)
    await watch.stop()

    let minReady = Number.POSITIVE_INFINITY
    let maxAlive = 0
    let newReadySeen = 0
    // From the moment the initial listing was complete (event `initial - 1`) on.
    replay(watch.lines(), (pods, index) => {
      if (index < initial - 1) return
      const alive = [...pods.values()].filter((p) => !p.deleting)
      minReady = Math.min(minReady, alive.filter((p) => p.ready).length)
      maxAlive = Math.max(maxAlive, alive.length)
      newReadySeen = Math.max(newReadySeen, alive.filter((p) => p.ready && p.image === IMAGE(2)).length)
    })
    expect(minReady, watch.lines().join('\n')).toBe(3)
    expect(maxAlive, 'maxSurge 1 allows at most 4 pods').toBeLessThanOrEqual(4)
    expect(newReadySeen).toBe(3)

    const history = await k.kubectlOk(['rollout', 'history', 'deployment/web', '-n', NS])
    expect(history).toMatch(/^REVISION\s+CHANGE-CAUSE$/m)
    expect(history).toMatch(/^1\s+initial$/m)
    expect(history).toMatch(/^2\s+image 2$/m)
    expect(await k.kubectlOk(['rollout', 'history', 'deployment/web', '-n', NS, '--revision=1'])).toMatch(new RegExp(`Image:\\s+${IMAGE(1)}`))

    const before = await rsSummary(k, 'web')
    expect(await k.kubectlOk(['rollout', 'undo', 'deployment/web', '-n', NS])).toContain('deployment.apps/web rolled back')
    await rolledOut(k, 'web')
    expect(await k.kubectlOk(['get', 'deployment', 'web', '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe(IMAGE(1))
    const pods = await settledPods(k, NS, 'app=web', 3)
    expect(pods.map((p) => p.spec.containers[0]!.image)).toEqual([IMAGE(1), IMAGE(1), IMAGE(1)])
    // The old ReplicaSet comes back as revision 3; no third ReplicaSet is made.
    const after = await rsSummary(k, 'web')
    expect(after.map((rs) => rs.name).sort()).toEqual(before.map((rs) => rs.name).sort())
    expect(after.find((rs) => rs.image === IMAGE(1))).toMatchObject({replicas: 3, revision: '3', changeCause: 'initial'})
    expect(after.find((rs) => rs.image === IMAGE(2))).toMatchObject({replicas: 0, revision: '2'})
    const undone = await k.kubectlOk(['rollout', 'history', 'deployment/web', '-n', NS])
    expect(undone).toMatch(/^2\s+image 2$/m)
    expect(undone).toMatch(/^3\s+initial$/m)
    expect(undone).not.toMatch(/^1\s/m)
  })

  it('rollout restart replaces every pod through a new ReplicaSet', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'restarted', namespace: NS, replicas: 2}))
    await rolledOut(k, 'restarted')
    const first = await rsSummary(k, 'restarted')
    const oldPods = (await settledPods(k, NS, 'app=restarted', 2)).map((p) => p.metadata.uid)
    expect(await k.kubectlOk(['rollout', 'restart', 'deployment/restarted', '-n', NS])).toContain('deployment.apps/restarted restarted')
    expect(await k.kubectlOk(['get', 'deployment', 'restarted', '-n', NS, '-o', 'jsonpath={.spec.template.metadata.annotations}'])).toContain('kubectl.kubernetes.io/restartedAt')
    await rolledOut(k, 'restarted')
    const rs = await rsSummary(k, 'restarted')
    expect(rs).toHaveLength(2)
    const fresh = rs.find((r) => r.name !== first[0]!.name)!
    expect(fresh).toMatchObject({replicas: 2, revision: '2'})
    expect(rs.find((r) => r.name === first[0]!.name)).toMatchObject({replicas: 0})
    const pods = await settledPods(k, NS, 'app=restarted', 2)
    expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.name === fresh.name)).toBe(true)
    expect(pods.some((p) => oldPods.includes(p.metadata.uid))).toBe(false)
  })

  it('a paused Deployment does not roll a new image until it is resumed', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'paused', namespace: NS, replicas: 2}))
    await rolledOut(k, 'paused')
    expect(await k.kubectlOk(['rollout', 'pause', 'deployment/paused', '-n', NS])).toContain('deployment.apps/paused paused')
    await k.kubectlOk(['set', 'image', 'deployment/paused', '-n', NS, `main=${IMAGE(2)}`])
    const generation = Number(await k.kubectlOk(['get', 'deployment', 'paused', '-n', NS, '-o', 'jsonpath={.metadata.generation}']))
    // The controller still observes the paused Deployment, and says it is paused.
    const status = await eventually(async () => {
      const s = JSON.parse(await k.kubectlOk(['get', 'deployment', 'paused', '-n', NS, '-o', 'json'])).status
      return s.observedGeneration === generation && s
    }, 'the paused deployment to be observed', 15_000)
    expect(status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({status: 'Unknown', reason: 'DeploymentPaused'})
    // Give a wrongly rolling controller time to act before checking that nothing rolled.
    await new Promise((r) => setTimeout(r, 1500))
    expect((await rsSummary(k, 'paused')).map((rs) => rs.image)).toEqual([IMAGE(1)])
    expect((await settledPods(k, NS, 'app=paused', 2)).map((p) => p.spec.containers[0]!.image)).toEqual([IMAGE(1), IMAGE(1)])
    const stalled = await k.kubectl(['rollout', 'status', 'deployment/paused', '-n', NS, '--timeout=2s'])
    expect(stalled.exitCode).not.toBe(0)
    expect(stalled.stdout).toContain('0 out of 2 new replicas have been updated')

    expect(await k.kubectlOk(['rollout', 'resume', 'deployment/paused', '-n', NS])).toContain('deployment.apps/paused resumed')
    await rolledOut(k, 'paused')
    const rs = await rsSummary(k, 'paused')
    expect(rs.find((r) => r.image === IMAGE(2))).toMatchObject({replicas: 2, revision: '2'})
    expect(rs.find((r) => r.image === IMAGE(1))).toMatchObject({replicas: 0})
    expect((await settledPods(k, NS, 'app=paused', 2)).map((p) => p.spec.containers[0]!.image)).toEqual([IMAGE(2), IMAGE(2)])
  })

  it('kubectl scale to 5 and back to 1 converges', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'scaled', namespace: NS, replicas: 2}))
    await rolledOut(k, 'scaled')
    expect(await k.kubectlOk(['scale', 'deployment/scaled', '-n', NS, '--replicas=5'])).toContain('deployment.apps/scaled scaled')
    await rolledOut(k, 'scaled')
    await settledPods(k, NS, 'app=scaled', 5)
    expect(await k.kubectlOk(['get', 'deployment', 'scaled', '-n', NS])).toMatch(/^scaled\s+5\/5\s+5\s+5\s+\S+$/m)
    expect((await rsSummary(k, 'scaled')).map((rs) => rs.replicas)).toEqual([5])
    await k.kubectlOk(['scale', 'deployment/scaled', '-n', NS, '--replicas=1'])
    await rolledOut(k, 'scaled')
    await settledPods(k, NS, 'app=scaled', 1)
    expect(await k.kubectlOk(['get', 'deployment', 'scaled', '-n', NS])).toMatch(/^scaled\s+1\/1\s+1\s+1\s+\S+$/m)
    expect(await k.kubectlOk(['get', 'deployment', 'scaled', '-n', NS, '-o', 'jsonpath={.status.replicas} {.status.availableReplicas}'])).toBe('1 1')
  })
}
