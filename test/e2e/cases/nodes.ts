// Issue 3, acceptance 5: scheduling over three simulated nodes and a node failure, with the real
// kubectl. The cluster is started with `--nodes 3 --node-cpu 2 --node-memory 4Gi` and a short node
// monitor grace period, so a failed node turns NotReady in seconds rather than 40.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'

export const NODE_CASES_START_ARGS = ['--nodes', '3', '--node-cpu', '2', '--node-memory', '4Gi', '--node-monitor-grace-period', '4s']

interface PodRow {
  name: string
  node?: string
  phase?: string
  deleting: boolean
}

async function apply(k: E2ECluster, yaml: string): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'kcluster-nodes-')), 'objects.yaml')
  writeFileSync(file, yaml)
  await k.kubectlOk(['apply', '-f', file])
}

async function pods(k: E2ECluster, ns: string, selector: string): Promise<PodRow[]> {
  const list = JSON.parse(await k.kubectlOk(['get', 'pods', '-n', ns, '-l', selector, '-o', 'json']))
  return list.items.map((p: any) => ({name: p.metadata.name, node: p.spec.nodeName, phase: p.status?.phase, deleting: Boolean(p.metadata.deletionTimestamp)}))
}

function countBy(rows: PodRow[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const row of rows) counts[row.node ?? '<none>'] = (counts[row.node ?? '<none>'] ?? 0) + 1
  return counts
}

const deployment = (ns: string, name: string, replicas: number, podSpec: string, podExtra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec}
      containers: [{name: app, image: kcluster-test/busybox:1, imagePullPolicy: IfNotPresent${podExtra}}]
`

export function nodeCases(cluster: () => E2ECluster): void {
  const names = (k: E2ECluster) => [k.name, `${k.name}-m02`, `${k.name}-m03`]

  it('starts three Ready nodes of the asked size, the first one the control plane', async () => {
    const k = cluster()
    const out = await k.kubectlOk(['get', 'nodes', '--no-headers'])
    const rows = out.trim().split('\n').map((l) => l.split(/\s+/))
    expect(rows.map((r) => r[0]).sort()).toEqual(names(k).sort())
    for (const r of rows) expect(r[1]).toBe('Ready')
    expect(rows.find((r) => r[0] === k.name)![2]).toBe('control-plane')
    const capacity = JSON.parse(await k.kubectlOk(['get', 'node', `${k.name}-m02`, '-o', 'jsonpath={.status.capacity}']))
    expect(capacity).toMatchObject({cpu: '2', memory: '4Gi', pods: '110'})
  })

  it('spreads a deployment over the nodes, evenly under a topology spread constraint', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'spread'])
    await apply(k, deployment('spread', 'loose', 6, ''))
    await apply(
      k,
      deployment('spread', 'even', 6, `      topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: even}}}]`),
    )
    await k.kubectlOk(['rollout', 'status', '-n', 'spread', 'deployment/loose', 'deployment/even', '--timeout=30s'])
    const loose = countBy(await pods(k, 'spread', 'app=loose'))
    expect(Object.keys(loose).sort(), JSON.stringify(loose)).toEqual(names(k).sort())
    const even = countBy(await pods(k, 'spread', 'app=even'))
    expect(even).toEqual(Object.fromEntries(names(k).map((n) => [n, 2])))
  })

  it('leaves a pod asking for more CPU than any node has Pending, with a FailedScheduling event saying why', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'toobig'])
    await apply(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: huge, namespace: toobig}
spec:
  containers: [{name: app, image: kcluster-test/busybox:1, imagePullPolicy: IfNotPresent, resources: {requests: {cpu: "3"}}}]
`,
    )
    const message = await eventually(async () => {
      const out = await k.kubectlOk(['get', 'events', '-n', 'toobig', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}'])
      return out.trim() || undefined
    }, 'a FailedScheduling event')
    expect(message).toContain('0/3 nodes are available: 3 Insufficient cpu.')
    const pod = JSON.parse(await k.kubectlOk(['get', 'pod', 'huge', '-n', 'toobig', '-o', 'json']))
    expect(pod.status.phase).toBe('Pending')
    expect(pod.status.conditions.find((c: any) => c.type === 'PodScheduled')).toMatchObject({status: 'False', reason: 'Unschedulable'})
    expect(await k.kubectlOk(['describe', 'pod', 'huge', '-n', 'toobig'])).toMatch(/Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu/)
  })

  it('holds nodeSelector, taints without toleration and required anti-affinity', async () => {
    const k = cluster()
    const [, second, third] = names(k)
    await k.kubectlOk(['create', 'namespace', 'rules'])
    await k.kubectlOk(['taint', 'nodes', third!, 'dedicated=db:NoSchedule'])
    try {
      await apply(
        k,
        `apiVersion: v1
kind: Pod
metadata: {name: pinned, namespace: rules}
spec:
  nodeSelector: {kubernetes.io/hostname: ${second}}
  containers: [{name: app, image: kcluster-test/busybox:1, imagePullPolicy: IfNotPresent}]
---
apiVersion: v1
kind: Pod
metadata: {name: untolerated, namespace: rules}
spec:
  nodeSelector: {kubernetes.io/hostname: ${third}}
  containers: [{name: app, image: kcluster-test/busybox:1, imagePullPolicy: IfNotPresent}]
---
apiVersion: v1
kind: Pod
metadata: {name: tolerated, namespace: rules}
spec:
  nodeSelector: {kubernetes.io/hostname: ${third}}
  tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]
  containers: [{name: app, image: kcluster-test/busybox:1, imagePullPolicy: IfNotPresent}]
`,
      )
      await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/pinned', 'pod/tolerated', '-n', 'rules', '--timeout=30s'])
      const byName = Object.fromEntries((await pods(k, 'rules', '!app')).map((p) => [p.name, p]))
      expect(byName.pinned!.node).toBe(second)
      expect(byName.tolerated!.node).toBe(third)
      expect(byName.untolerated!.node).toBeUndefined()
      const why = await eventually(async () => {
        const out = await k.kubectlOk(['get', 'events', '-n', 'rules', '--field-selector', 'involvedObject.name=untolerated,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}'])
        return out.trim() || undefined
      }, 'FailedScheduling for the untolerated pod')
      expect(why).toContain("1 node(s) had untolerated taint {dedicated: db}")
      expect(why).toContain("2 node(s) didn't match Pod's node affinity/selector")
    } finally {
      await k.kubectlOk(['taint', 'nodes', third!, 'dedicated=db:NoSchedule-'])
    }

    await apply(
      k,
      deployment(
        'rules',
        'apart',
        3,
        `      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: apart}}}]`,
      ),
    )
    await k.kubectlOk(['rollout', 'status', '-n', 'rules', 'deployment/apart', '--timeout=30s'])
    expect(countBy(await pods(k, 'rules', 'app=apart'))).toEqual(Object.fromEntries(names(k).map((n) => [n, 1])))
    await k.kubectlOk(['scale', '-n', 'rules', 'deployment/apart', '--replicas=4'])
    const fourth = await eventually(async () => (await pods(k, 'rules', 'app=apart')).find((p) => !p.node), 'the fourth replica')
    await new Promise((r) => setTimeout(r, 1000))
    const still = (await pods(k, 'rules', 'app=apart')).find((p) => p.name === fourth.name)
    expect(still?.node).toBeUndefined()
    expect(still?.phase).toBe('Pending')
  })

  it('kcluster node fail turns the node NotReady, taints it, and moves its pods after their toleration', async () => {
    const k = cluster()
    const [, , third] = names(k)
    await k.kubectlOk(['create', 'namespace', 'failover'])
    // Short tolerations of the unreachable taint instead of the default 300 s.
    await apply(
      k,
      deployment(
        'failover',
        'web',
        6,
        `      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 3}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 3}
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}]`,
      ),
    )
    await k.kubectlOk(['rollout', 'status', '-n', 'failover', 'deployment/web', '--timeout=30s'])
    const before = await pods(k, 'failover', 'app=web')
    const victims = before.filter((p) => p.node === third).map((p) => p.name)
    expect(victims.length).toBeGreaterThan(0)

    const failed = await k.kcluster(['node', 'fail', third!, '--name', k.name])
    expect(failed.exitCode, failed.all).toBe(0)
    await eventually(async () => /\bNotReady\b/.test(await k.kubectlOk(['get', 'node', third!, '--no-headers'])), 'the failed node NotReady', 30_000)
    const node = JSON.parse(await k.kubectlOk(['get', 'node', third!, '-o', 'json']))
    expect(node.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.'})
    expect(node.spec.taints.map((t: any) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'])

    // Evicted after 3 s; replacements run on the two healthy nodes; the old pods stay Terminating on
    // the dead node, as on a real cluster, until it comes back or is removed.
    await eventually(
      async () => {
        const now = await pods(k, 'failover', 'app=web')
        const live = now.filter((p) => !p.deleting)
        return live.length === 6 && live.every((p) => p.node !== third && p.phase === 'Running') && victims.every((v) => now.find((p) => p.name === v)?.deleting !== false)
      },
      'six Running replicas off the failed node',
      30_000,
    )
    const events = await k.kubectlOk(['get', 'events', '-n', 'failover', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={.items[*].message}'])
    for (const victim of victims) expect(events).toContain(`Marking for deletion Pod failover/${victim}`)

    const recovered = await k.kcluster(['node', 'recover', third!, '--name', k.name])
    expect(recovered.exitCode, recovered.all).toBe(0)
    await eventually(async () => {
      const n = JSON.parse(await k.kubectlOk(['get', 'node', third!, '-o', 'json']))
      return n.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'True' && !(n.spec.taints ?? []).some((t: any) => t.key.startsWith('node.kubernetes.io/'))
    }, 'the recovered node Ready and untainted')
    // Its kubelet finishes the evicted pods' deletion.
    await eventually(async () => (await pods(k, 'failover', 'app=web')).every((p) => !victims.includes(p.name)), 'the evicted pods gone')
  }, 90_000)
}
