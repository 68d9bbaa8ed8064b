import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import type {E2ECluster} from '../harness.js'

export function clusterBasicsCases(cluster: () => E2ECluster): void {
  it('shows the node Ready in kubectl get nodes', async () => {
    const out = await cluster().kubectlOk(['get', 'nodes'])
    expect(out).toMatch(new RegExp(`^${cluster().name}\\s+Ready\\s+control-plane\\s+\\S+\\s+v1\\.32`, 'm'))
  })

  it('reports server version 1.32 to kubectl version', async () => {
    const out = JSON.parse(await cluster().kubectlOk(['version', '-o', 'json']))
    expect(out.serverVersion.major).toBe('1')
    expect(out.serverVersion.minor).toBe('32')
  })

  it('lists the served resources in kubectl api-resources', async () => {
    const out = await cluster().kubectlOk(['api-resources'])
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m)
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m)
    expect(out).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m)
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m)
  })

  it('answers kubectl cluster-info with the API URL', async () => {
    const out = await cluster().kubectlOk(['cluster-info'])
    expect(out).toMatch(/Kubernetes control plane.* is running at .*https:\/\/127\.0\.0\.1:\d+/)
  })

  it('lets the admin do everything per kubectl auth can-i and names it in auth whoami', async () => {
    expect((await cluster().kubectlOk(['auth', 'can-i', 'create', 'pods'])).trim()).toBe('yes')
    expect((await cluster().kubectlOk(['auth', 'can-i', 'delete', 'deployments.apps', '-n', 'kube-system'])).trim()).toBe('yes')
    const list = await cluster().kubectlOk(['auth', 'can-i', '--list'])
    expect(list).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/)
    const who = await cluster().kubectlOk(['auth', 'whoami'])
    expect(who).toMatch(/Username\s+kcluster-admin/)
    expect(who).toMatch(/Groups\s+\[system:masters system:authenticated\]/)
  })

  it('has the four system namespaces', async () => {
    const out = await cluster().kubectlOk(['get', 'namespaces', '-o', 'name'])
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) expect(out).toContain(`namespace/${ns}`)
  })

  it('reports components, node, API URL and object counts in kcluster status --json', async () => {
    const k = cluster()
    const r = await k.kcluster(['status', '--name', k.name, '--json'])
    expect(r.exitCode, r.all).toBe(0)
    const status = JSON.parse(r.stdout)
    expect(status.state).toBe('Running')
    expect(status.apiURL).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(status.nodes).toEqual([{name: k.name, ready: true}])
    expect(status.objectCounts.namespaces).toBeGreaterThanOrEqual(4)
    expect(status.components.every((c: {healthy: boolean}) => c.healthy)).toBe(true)
  })

  it('prints a standalone kubeconfig that kubectl can use', async () => {
    const k = cluster()
    const r = await k.kcluster(['kubeconfig', '--name', k.name])
    expect(r.exitCode, r.all).toBe(0)
    const file = join(mkdtempSync(join(tmpdir(), 'kcluster-kubeconfig-')), 'config')
    writeFileSync(file, r.stdout)
    const out = await k.kubectlOk(['--kubeconfig', file, 'get', 'namespace', 'default', '-o', 'name'])
    expect(out).toBe('namespace/default')
  })
}
