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
}
