import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import type {E2ECluster} from '../harness.js'
import {rawRequest} from '../raw-client.js'
import {LONG_RUNNING, manifest, TEST_IMAGE} from '../manifests.js'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'

// Leases and Nodes heartbeat, so their resourceVersion moves on its own; everything else must not.
const STABLE_KINDS = 'namespaces,configmaps,secrets,services,endpoints,serviceaccounts,pods,deployments.apps,replicasets.apps'

/**
 * Where the runtimes differ across `kcluster stop` / `start`. The simulated runtime's containers survive
 * untouched, so no object changes at all. On Docker, `stop` stops every pod's containers and `start`
 * starts them again, as a node reboot does on a real cluster: the kubelet records each pod's new
 * container (restartCount 1, the stopped one as lastState) and the controllers follow the pods'
 * readiness, so these kinds keep their uid but move their resourceVersion.
 */
function restartedByStop(k: E2ECluster): {restartCount: number; kindsThatMove: string[]} {
  return k.driver === 'docker' ? {restartCount: 1, kindsThatMove: ['Pod', 'ReplicaSet', 'Deployment', 'Endpoints']} : {restartCount: 0, kindsThatMove: []}
}

async function snapshot(k: E2ECluster): Promise<Map<string, {uid: string; rv: string}>> {
  const list = JSON.parse(await k.kubectlOk(['get', STABLE_KINDS, '-A', '-o', 'json']))
  const map = new Map<string, {uid: string; rv: string}>()
  for (const item of list.items) map.set(`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`, {uid: item.metadata.uid, rv: item.metadata.resourceVersion})
  return map
}

export function persistenceCases(cluster: () => E2ECluster): void {
  it('kcluster stop then start keeps every object with the same uid and resourceVersion', async () => {
    const k = cluster()
    const file = join(mkdtempSync(join(tmpdir(), 'kcluster-persist-')), 'app.yaml')
    writeFileSync(file, manifest('persist'))
    await k.kubectlOk(['apply', '-f', file])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/solo', '-n', 'persist', '--timeout=30s'])
    await new Promise((r) => setTimeout(r, 500))
    const before = await snapshot(k)
    expect(before.size).toBeGreaterThan(10)
    const stopped = await k.kcluster(['stop', '--name', k.name])
    expect(stopped.exitCode, stopped.all).toBe(0)
    const status = await k.kcluster(['status', '--name', k.name])
    expect(status.exitCode).not.toBe(0)
    const started = await k.kcluster(['start', '--name', k.name, '--wait', '60s'])
    expect(started.exitCode, started.all).toBe(0)
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pods', '--all', '-n', 'persist', '--timeout=30s'])
    await new Promise((r) => setTimeout(r, 1000))
    const after = await snapshot(k)
    const {restartCount, kindsThatMove} = restartedByStop(k)
    const comparable = (objects: typeof before) =>
      [...objects.entries()].map(([key, {uid, rv}]) => [key, kindsThatMove.includes(key.split('/')[0]!) ? {uid} : {uid, rv}]).sort()
    expect(comparable(after)).toEqual(comparable(before))
    const pods = JSON.parse(await k.kubectlOk(['get', 'pods', '-n', 'persist', '-o', 'json'])).items
    expect(pods.map((p: any) => p.status.containerStatuses[0])).toEqual(pods.map(() => expect.objectContaining({ready: true, restartCount, state: {running: expect.anything()}})))
  })

  it('kill -9 during a burst of 1,000 creates loses no create that returned 201, and the cluster restarts cleanly', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'burst'])
    const pid = Number(readFileSync(join(k.home, k.name, 'control-plane.pid'), 'utf8').trim())
    expect(pid).toBeGreaterThan(0)
    const acknowledged: string[] = []
    let next = 0
    let killed = false
    const worker = async () => {
      while (next < 1000) {
        const name = `cm-${next++}`
        try {
          const r = await rawRequest(k, 'POST', '/api/v1/namespaces/burst/configmaps', JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {n: name}}), {'Content-Type': 'application/json'})
          if (r.status === 201) acknowledged.push(name)
        } catch {
          // connection refused or reset once the process is gone
        }
        if (!killed && acknowledged.length >= 300) {
          killed = true
          process.kill(pid, 'SIGKILL')
        }
      }
    }
    await Promise.all(Array.from({length: 8}, worker))
    expect(killed).toBe(true)
    expect(acknowledged.length).toBeGreaterThanOrEqual(300)
    expect(acknowledged.length).toBeLessThan(1000)

    const restarted = await k.kcluster(['start', '--name', k.name, '--wait', '60s'])
    expect(restarted.exitCode, restarted.all).toBe(0)
    const names = new Set((await k.kubectlOk(['get', 'configmaps', '-n', 'burst', '-o', 'name'])).split('\n').map((l) => l.replace('configmap/', '')))
    const lost = acknowledged.filter((n) => !names.has(n))
    expect(lost).toEqual([])
    expect((await k.kubectl(['get', 'nodes'])).stdout).toMatch(/\sReady\s/)
  })

  it('kubectl drain evicts the node\'s pods through the eviction subresource', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'drained'])
    for (const name of ['e1', 'e2']) await k.kubectlOk(['run', name, '-n', 'drained', '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/e1', 'pod/e2', '-n', 'drained', '--timeout=30s'])
    const refused = await k.kubectl(['drain', k.name, '--ignore-daemonsets', '--timeout=20s'])
    expect(refused.exitCode).not.toBe(0)
    expect(refused.stderr).toContain('cannot delete Pods that declare no controller')
    const out = await k.kubectlOk(['drain', k.name, '--ignore-daemonsets', '--force', '--timeout=60s'], {timeout: 90_000})
    expect(out).toContain('pod/e1 evicted')
    expect(out).toContain(`node/${k.name} drained`)
    expect(await k.kubectlOk(['get', 'pods', '-n', 'drained', '-o', 'name'])).toBe('')
    expect(await k.kubectlOk(['uncordon', k.name])).toContain('uncordoned')
  })
}
