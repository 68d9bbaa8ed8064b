import {execa} from 'execa'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {LONG_RUNNING, TEST_IMAGE} from '../manifests.js'
import {Cidr} from '../../../src/cluster/network/cidr.js'
import {expectInNodePodCIDR, serviceCIDR} from '../workloads.js'

export function getAndDescribeCases(cluster: () => E2ECluster): void {
  it('kubectl get shows the real columns in every output form', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'views'])
    await k.kubectlOk(['run', 'alpha', '-n', 'views', '--image', TEST_IMAGE, '--labels', 'app=alpha,tier=back', '--', ...LONG_RUNNING])
    await k.kubectlOk(['run', 'beta', '-n', 'views', '--image', TEST_IMAGE, '--labels', 'app=beta', '--', ...LONG_RUNNING])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/alpha', 'pod/beta', '-n', 'views', '--timeout=30s'])

    const plain = await k.kubectlOk(['get', 'pods', '-n', 'views'])
    expect(plain.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/)
    expect(plain).toMatch(/^alpha\s+1\/1\s+Running\s+0\s+\d+s$/m)

    const wide = await k.kubectlOk(['get', 'pods', '-A', '-o', 'wide'])
    expect(wide.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/)
    const alphaRow = new RegExp(`^views\\s+alpha\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)\\s+${k.name}\\s+<none>\\s+<none>$`, 'm')
    expect(wide).toMatch(alphaRow)

    expect(await k.kubectlOk(['get', 'pods', '-n', 'views', '-o', 'name'])).toBe('pod/alpha\npod/beta')
    expect(await k.kubectlOk(['get', 'pod', 'alpha', '-n', 'views', '-o', 'jsonpath={.metadata.labels.tier}'])).toBe('back')
    expect(JSON.parse(await k.kubectlOk(['get', 'pod', 'alpha', '-n', 'views', '-o', 'json'])).kind).toBe('Pod')
    expect(await k.kubectlOk(['get', 'pod', 'alpha', '-n', 'views', '-o', 'yaml'])).toMatch(/^kind: Pod$/m)

    const labels = await k.kubectlOk(['get', 'pods', '-n', 'views', '--show-labels'])
    expect(labels).toMatch(/^alpha\s+.*app=alpha,tier=back$/m)
    expect(await k.kubectlOk(['get', 'pods', '-n', 'views', '-l', 'tier=back', '-o', 'name'])).toBe('pod/alpha')
    expect(await k.kubectlOk(['get', 'pods', '-n', 'views', '-l', 'app in (beta)', '-o', 'name'])).toBe('pod/beta')
    expect(await k.kubectlOk(['get', 'pods', '-n', 'views', '--field-selector', 'metadata.name=beta', '-o', 'name'])).toBe('pod/beta')
    expect(await k.kubectlOk(['get', 'pods', '-n', 'views', '--field-selector', 'status.phase=Running,metadata.name!=beta', '-o', 'name'])).toBe('pod/alpha')
    const sorted = await k.kubectlOk(['get', 'pods', '-n', 'views', '--sort-by', '{.metadata.labels.app}', '-o', 'name'])
    expect(sorted).toBe('pod/alpha\npod/beta')
    const reverse = await k.kubectlOk(['get', 'pods', '-n', 'views', '--sort-by', '.metadata.name', '--no-headers'])
    expect(reverse.split('\n')[0]).toMatch(/^alpha/)
    const badSelector = await k.kubectl(['get', 'pods', '--field-selector', 'spec.bogus=1'])
    expect(badSelector.stderr).toContain('field label not supported: spec.bogus')
    await expectInNodePodCIDR(k, alphaRow.exec(wide)![1])
  })

  it('kubectl get shows deployments, services, nodes and namespaces with their columns', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'deployment', 'cols', '--image', TEST_IMAGE, '--replicas', '3', '--', ...LONG_RUNNING])
    expect(await k.kubectlOk(['get', 'deployments'])).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m)
    expect(await k.kubectlOk(['rollout', 'status', 'deployment/cols', '--timeout=60s'])).toContain('deployment "cols" successfully rolled out')
    expect(await k.kubectlOk(['get', 'deployment', 'cols', '-o', 'wide'])).toMatch(/^cols\s+3\/3\s+3\s+3\s+\S+\s+busybox\s+kcluster-test\/busybox:1\s+app=cols$/m)
    const kubernetesIP = Cidr.parse(await serviceCIDR(k)).nth(1).replaceAll('.', '\\.')
    expect(await k.kubectlOk(['get', 'svc', 'kubernetes'])).toMatch(new RegExp(`^kubernetes\\s+ClusterIP\\s+${kubernetesIP}\\s+<none>\\s+443/TCP\\s+\\S+$`, 'm'))
    expect(await k.kubectlOk(['get', 'nodes', '-o', 'wide'])).toMatch(/INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/)
    expect(await k.kubectlOk(['get', 'ns', 'default'])).toMatch(/^default\s+Active\s+\S+$/m)
  })

  it('kubectl describe shows pod, node and deployment details', async () => {
    const k = cluster()
    await k.kubectlOk(['run', 'described', '--image', TEST_IMAGE, '--labels', 'app=described', '--', ...LONG_RUNNING])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/described', '--timeout=30s'])
    const pod = await k.kubectlOk(['describe', 'pod', 'described'])
    expect(pod).toMatch(/^Name:\s+described$/m)
    expect(pod).toMatch(new RegExp(`^Node:\\s+${k.name}/127\\.0\\.0\\.1$`, 'm'))
    expect(pod).toMatch(/^Status:\s+Running$/m)
    expect(pod).toMatch(/^IP:\s+\d+\.\d+\.\d+\.\d+$/m)
    expect(pod).toMatch(/Ready\s+True/)
    const node = await k.kubectlOk(['describe', 'node', k.name])
    expect(node).toMatch(/^Roles:\s+control-plane$/m)
    expect(node).toMatch(/Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status/)
    expect(node).toMatch(/HolderIdentity:\s+/)
    expect(node).toMatch(/default\s+described\s+/)
    await k.kubectlOk(['create', 'deployment', 'descr', '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    const deploy = await k.kubectlOk(['describe', 'deployment', 'descr'])
    expect(deploy).toMatch(/^StrategyType:\s+RollingUpdate$/m)
    expect(deploy).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m)
    await expectInNodePodCIDR(k, /^IP:\s+(\S+)$/m.exec(pod)![1])
  })

  it('kubectl get -w prints changes as they happen', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'watched'])
    const watcher = execa('kubectl', [`--cache-dir=${join(k.env.HOME, 'kube-cache')}`, 'get', 'configmaps', '-n', 'watched', '-w'], {env: k.env, reject: false})
    let seen = ''
    watcher.stdout!.on('data', (chunk) => (seen += chunk.toString()))
    await new Promise((r) => setTimeout(r, 1500))
    await k.kubectlOk(['create', 'configmap', 'live-1', '-n', 'watched', '--from-literal', 'a=1'])
    await eventually(async () => seen.includes('live-1'), 'watch shows live-1', 15_000)
    await k.kubectlOk(['label', 'configmap', 'live-1', '-n', 'watched', 'x=y'])
    await k.kubectlOk(['create', 'configmap', 'live-2', '-n', 'watched', '--from-literal', 'a=1'])
    await eventually(async () => seen.includes('live-2'), 'watch shows live-2', 15_000)
    watcher.kill('SIGINT')
    await watcher
    const lines = seen.trim().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+DATA\s+AGE$/)
    expect(lines.filter((l) => l.startsWith('live-1')).length).toBeGreaterThanOrEqual(2)
  })
}
