// Issue 6, Docker fault: the engine restarted under running pods. With the engine's default settings
// (no live-restore) stopping dockerd stops every container; only kcluster-net (restart policy
// unless-stopped) comes back with the engine. The agent must then bring every pod back in place: the
// same pods (names, uids, IPs), each app container restarted once in its sandbox started again, the
// Service answering from the host on its ClusterIP and NodePort, and exactly the containers the pods
// need on the engine, no duplicate and no orphan.
import {execa} from 'execa'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {eventually, REPO, type E2ECluster} from '../harness.js'
import {applyYaml} from '../workloads.js'
import {hostGet} from '../../support/host-get.js'

const NS = 'engine'
const REPLICAS = 3

const WORKLOAD = `
apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${NS}}
spec:
  replicas: ${REPLICAS}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: kcluster-test/busybox:1
        imagePullPolicy: Never
        command: [sh, -c, 'mkdir -p /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w']
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${NS}}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`

interface PodView {
  name: string
  uid: string
  ip: string
  phase: string
  ready: boolean
  restarts: number
}

async function pods(k: E2ECluster): Promise<PodView[]> {
  const list = JSON.parse(await k.kubectlOk(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json'])).items as any[]
  return list
    .map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      ip: p.status.podIP ?? '',
      phase: p.status.phase ?? '',
      ready: p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false,
      restarts: p.status.containerStatuses?.[0]?.restartCount ?? -1,
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Every container of the cluster on the engine: role, pod uid (none for kcluster-net) and state. */
async function clusterContainers(k: E2ECluster): Promise<Array<{id: string; role: string; podUid: string; state: string}>> {
  const format = '{{.ID}} {{.Label "kcluster.io/role"}} {{.State}} {{.Label "kcluster.io/pod-uid"}}'
  const {stdout} = await execa('docker', ['ps', '-a', '--no-trunc', '--filter', `label=kcluster.io/cluster=${k.name}`, '--format', format])
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, role, state, podUid] = line.split(' ')
      return {id: id!, role: role!, state: state!, podUid: podUid ?? ''}
    })
}

/** Answers of `count` requests to host:port, the pods' hostnames. */
async function answers(host: string, port: number, count: number): Promise<Set<string>> {
  const seen = new Set<string>()
  for (let i = 0; i < count; i++) {
    const answer = await hostGet(host, port)
    if (answer) seen.add(answer)
  }
  return seen
}

export function dockerEngineRestartCases(cluster: () => E2ECluster): void {
  it('the Docker engine restarted under running pods: the same pods come back Running and Ready, each restarted once, the Service answers again, no duplicate or orphaned container', async () => {
    const k = cluster()
    await applyYaml(k, WORKLOAD)
    await k.kubectlOk(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=60s'])
    const before = await eventually(async () => {
      const list = await pods(k)
      return list.length === REPLICAS && list.every((p) => p.ready && p.ip) ? list : undefined
    }, 'three ready pods')
    const clusterIP = await k.kubectlOk(['get', 'svc', 'web', '-n', NS, '-o', 'jsonpath={.spec.clusterIP}'])
    const nodePort = Number(await k.kubectlOk(['get', 'svc', 'web', '-n', NS, '-o', 'jsonpath={.spec.ports[0].nodePort}']))
    const names = before.map((p) => p.name)
    expect(names).toContain(await eventually(() => hostGet(clusterIP, 80), 'the ClusterIP answering the host before the restart'))
    expect(names).toContain(await eventually(() => hostGet('127.0.0.1', nodePort), 'the NodePort answering before the restart'))
    const appsBefore = new Map((await clusterContainers(k)).filter((c) => c.role === 'app').map((c) => [c.podUid, c.id]))

    const restarted = await execa(join(REPO, 'scripts/dockerd-restart.sh'), {reject: false, all: true, timeout: 60_000})
    expect(restarted.exitCode, restarted.all).toBe(0)

    // The same pods (no replacement: the ReplicaSet had nothing to do), each container restarted once.
    const after = await eventually(
      async () => {
        const list = await pods(k)
        return list.length === REPLICAS && list.every((p) => p.phase === 'Running' && p.ready && p.restarts >= 1) ? list : undefined
      },
      'every pod Running and Ready again, restarted',
      60_000,
      500,
    )
    expect(after.map(({name, uid, ip}) => ({name, uid, ip}))).toEqual(before.map(({name, uid, ip}) => ({name, uid, ip})))
    expect(after.map((p) => p.restarts)).toEqual(before.map((p) => p.restarts + 1))

    // The Service from the host again, on its ClusterIP (through kcluster-net) and its NodePort, reaching every pod.
    expect(await eventually(async () => ((await answers(clusterIP, 80, 12)).size === REPLICAS ? true : undefined), 'the ClusterIP reaching all three pods', 30_000, 500)).toBe(true)
    expect(await eventually(async () => ((await answers('127.0.0.1', nodePort, 12)).size === REPLICAS ? true : undefined), 'the NodePort reaching all three pods', 30_000, 500)).toBe(true)

    // On the engine: per pod one running sandbox, one running app container and the one exited
    // before the restart (the kubelet keeps the last exited instance for `logs --previous`); one
    // running kcluster-net; nothing else. Settled: a second look a little later finds the same.
    const expected = () => {
      const list: string[] = ['net running -']
      for (const p of after) list.push(`sandbox running ${p.uid}`, `app running ${p.uid}`, `app exited ${p.uid} ${appsBefore.get(p.uid)}`)
      return list.sort()
    }
    const seen = async () =>
      (await clusterContainers(k))
        .map((c) => (c.role === 'net' ? `net ${c.state} -` : c.role === 'app' && c.state === 'exited' ? `app exited ${c.podUid} ${c.id}` : `${c.role} ${c.state} ${c.podUid}`))
        .sort()
    expect(await seen()).toEqual(expected())
    await new Promise((r) => setTimeout(r, 2000))
    expect(await seen()).toEqual(expected())
    const {stdout: networks} = await execa('docker', ['network', 'ls', '--filter', `label=kcluster.io/cluster=${k.name}`, '--format', '{{.Name}}'])
    expect(networks.split('\n').filter(Boolean)).toEqual([`kcluster-${k.name}`])

    const status = await k.kcluster(['status', '--name', k.name, '--json'])
    expect(status.exitCode, status.all).toBe(0)
    const report = JSON.parse(status.stdout)
    expect(report.state, status.stdout).toBe('Running')
    expect(report.components.filter((c: {healthy: boolean}) => !c.healthy)).toEqual([])
    // kcluster-net among them: connected again to the control plane.
    expect(report.components.find((c: {name: string}) => c.name === 'kcluster-net')).toMatchObject({healthy: true, message: expect.stringMatching(/^connected to /)})
    expect(report.nodes).toEqual([{name: k.name, ready: true}])
    // The instance from before the restart is the one `kubectl logs --previous` reads.
    const previous = await k.kubectl(['logs', '-n', NS, after[0]!.name, '--previous'])
    expect(previous.exitCode, previous.stderr).toBe(0)
  }, 100_000)
}
