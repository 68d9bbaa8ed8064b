// Acceptance item 4 of issue 3: kubectl wait, get all, describe deployment and kubectl events show
// what a real cluster shows.
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml, backgroundKubectl, deploymentManifest, expectClusterIPInRange, podNames, setGate, settledPods, ensureNamespace} from '../workloads.js'
import {LONG_RUNNING, TEST_IMAGE} from '../manifests.js'

const NS = 'observe'

/** Gives a kubectl that should still be waiting the time to (wrongly) finish. */
const settle = () => new Promise((r) => setTimeout(r, 1000))

export function observeCases(cluster: () => E2ECluster): void {
  it('kubectl wait --for=condition=Available returns once the Deployment becomes available, not before', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    // A readiness gate keeps the pod unready, so the Deployment is not Available until the test says so.
    await applyYaml(k, deploymentManifest({name: 'gated', namespace: NS, replicas: 1, gated: true}))
    const wait = backgroundKubectl(k, ['wait', '--for=condition=Available', 'deployment/gated', '-n', NS, '--timeout=30s'])
    const [pod] = await eventually(async () => {
      const pods = await settledPods(k, NS, 'app=gated', 1)
      return pods[0]!.status.conditions?.some((c) => c.type === 'ContainersReady' && c.status === 'True') && pods
    }, 'the gated pod to run', 15_000)
    await settle()
    expect(wait.process.exitCode, wait.lines().join('\n')).toBeNull()
    expect(await k.kubectlOk(['get', 'deployment', 'gated', '-n', NS, '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}'])).toBe('False')

    await setGate(k, NS, pod!.metadata.name, 'True')
    const done = await wait.process
    expect(done.exitCode, String(done.all)).toBe(0)
    expect(String(done.stdout)).toBe('deployment.apps/gated condition met')
  })

  it('kubectl wait --for=delete returns once the pod is gone, not before', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await k.kubectlOk(['run', 'leaving', '-n', NS, '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/leaving', '-n', NS, '--timeout=30s'])
    await k.kubectlOk(['patch', 'pod', 'leaving', '-n', NS, '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}'])
    await k.kubectlOk(['delete', 'pod', 'leaving', '-n', NS, '--wait=false'])
    const wait = backgroundKubectl(k, ['wait', '--for=delete', 'pod/leaving', '-n', NS, '--timeout=30s'])
    await settle()
    expect(wait.process.exitCode, wait.lines().join('\n')).toBeNull()
    await k.kubectlOk(['patch', 'pod', 'leaving', '-n', NS, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]'])
    const done = await wait.process
    expect(done.exitCode, String(done.all)).toBe(0)
    expect(String(done.stdout)).toBe('pod/leaving condition met')
    expect(await podNames(k, NS, 'run=leaving')).toEqual([])
  })

  it('kubectl get all lists pods, services, deployments and replica sets with their columns', async () => {
    const k = cluster()
    const ns = 'observe-all'
    await k.kubectlOk(['create', 'namespace', ns])
    await applyYaml(k, deploymentManifest({name: 'web', namespace: ns, replicas: 2}))
    await k.kubectlOk(['expose', 'deployment', 'web', '-n', ns, '--port=80', '--target-port=http'])
    await k.kubectlOk(['wait', '--for=condition=Available', 'deployment/web', '-n', ns, '--timeout=30s'])
    const hash = await k.kubectlOk(['get', 'rs', '-n', ns, '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.labels.pod-template-hash}'])
    await settledPods(k, ns, 'app=web', 2)
    const out = await k.kubectlOk(['get', 'all', '-n', ns])
    const sections = out.split('\n\n').map((s) => s.trim().split('\n'))
    expect(sections.map((s) => s[0])).toEqual([
      expect.stringMatching(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/),
      expect.stringMatching(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/),
      expect.stringMatching(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/),
      expect.stringMatching(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/),
    ])
    expect(sections[0]!.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^pod/web-${hash}-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s+\\S+$`)),
      expect.stringMatching(new RegExp(`^pod/web-${hash}-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s+\\S+$`)),
    ])
    expect(sections[1]!.slice(1)).toEqual([expect.stringMatching(/^service\/web\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/)])
    await expectClusterIPInRange(k, sections[1]![1]!)
    expect(sections[2]!.slice(1)).toEqual([expect.stringMatching(/^deployment\.apps\/web\s+2\/2\s+2\s+2\s+\S+$/)])
    expect(sections[3]!.slice(1)).toEqual([expect.stringMatching(new RegExp(`^replicaset\\.apps/web-${hash}\\s+2\\s+2\\s+2\\s+\\S+$`))])
  })

  it('kubectl describe deployment shows the new and old ReplicaSets and the scaling events', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'described', namespace: NS, replicas: 2}))
    await k.kubectlOk(['rollout', 'status', 'deployment/described', '-n', NS, '--timeout=30s'])
    const first = await k.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=described', '-o', 'jsonpath={.items[0].metadata.name}'])
    const fresh = await k.kubectlOk(['describe', 'deployment', 'described', '-n', NS])
    expect(fresh).toMatch(/^Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable$/m)
    expect(fresh).toMatch(/^\s+Available\s+True\s+MinimumReplicasAvailable$/m)
    expect(fresh).toMatch(/^\s+Progressing\s+True\s+NewReplicaSetAvailable$/m)
    expect(fresh).toMatch(/^OldReplicaSets:\s+<none>$/m)
    expect(fresh).toMatch(new RegExp(`^NewReplicaSet:\\s+${first} \\(2/2 replicas created\\)$`, 'm'))
    expect(fresh).toMatch(new RegExp(`^\\s+Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set ${first} from 0 to 2$`, 'm'))

    await k.kubectlOk(['set', 'image', 'deployment/described', '-n', NS, 'main=kcluster-test/busybox:2'])
    await k.kubectlOk(['rollout', 'status', 'deployment/described', '-n', NS, '--timeout=30s'])
    const second = await k.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=described', '-o', `jsonpath={.items[?(@.metadata.name!="${first}")].metadata.name}`])
    const rolled = await k.kubectlOk(['describe', 'deployment', 'described', '-n', NS])
    expect(rolled).toMatch(new RegExp(`^OldReplicaSets:\\s+${first} \\(0/0 replicas created\\)$`, 'm'))
    expect(rolled).toMatch(new RegExp(`^NewReplicaSet:\\s+${second} \\(2/2 replicas created\\)$`, 'm'))
    expect(rolled).toMatch(new RegExp(`Scaled up replica set ${second} from 0 to \\d`))
    expect(rolled).toMatch(new RegExp(`Scaled down replica set ${first} from \\d to 0`))
  })

  it('kubectl events lists what the controllers, the scheduler and the kubelet did', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(k, deploymentManifest({name: 'evented', namespace: NS, replicas: 1}))
    await k.kubectlOk(['rollout', 'status', 'deployment/evented', '-n', NS, '--timeout=30s'])
    const rs = await k.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=evented', '-o', 'jsonpath={.items[0].metadata.name}'])
    const [pod] = await podNames(k, NS, 'app=evented')
    const node = await k.kubectlOk(['get', 'pod', pod!, '-n', NS, '-o', 'jsonpath={.spec.nodeName}'])
    const events = await k.kubectlOk(['events', '-n', NS])
    expect(events.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/)
    expect(events).toMatch(new RegExp(`^\\S+\\s+Normal\\s+ScalingReplicaSet\\s+Deployment/evented\\s+Scaled up replica set ${rs} from 0 to 1$`, 'm'))
    expect(events).toMatch(new RegExp(`^\\S+\\s+Normal\\s+SuccessfulCreate\\s+ReplicaSet/${rs}\\s+Created pod: ${pod}$`, 'm'))
    expect(events).toMatch(new RegExp(`^\\S+\\s+Normal\\s+Scheduled\\s+Pod/${pod}\\s+Successfully assigned ${NS}/${pod} to ${node}$`, 'm'))
    const forPod = await k.kubectlOk(['events', '-n', NS, '--for', `pod/${pod}`])
    expect(forPod).not.toContain('ReplicaSet/')
    expect(forPod).toContain(`Pod/${pod}`)
  })

  it('kubectl events shows the kubelet pulling, creating and starting a pod\'s container', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await k.kubectlOk(['run', 'started', '-n', NS, '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/started', '-n', NS, '--timeout=30s'])
    // An image already on the node (the simulated runtime has every image) is Pulled without Pulling.
    let reasons: string[] = []
    await eventually(async () => {
      reasons = (await k.kubectlOk(['events', '-n', NS, '--for', 'pod/started', '-o', 'jsonpath={.items[*].reason}'])).split(' ')
      return ['Scheduled', 'Pulled', 'Created', 'Started'].every((r) => reasons.includes(r))
    }, 'kubelet events for pod/started', 10_000).catch((error) => {
      throw new Error(`${(error as Error).message}; seen: ${reasons.join(' ')}`)
    })
    const table = await k.kubectlOk(['events', '-n', NS, '--for', 'pod/started'])
    expect(table).toMatch(/^\S+\s+Normal\s+Pulled\s+Pod\/started\s+Container image "kcluster-test\/busybox:1" already present on machine$/m)
    expect(table).toMatch(/^\S+\s+Normal\s+Created\s+Pod\/started\s+Created container: started$/m)
    expect(table).toMatch(/^\S+\s+Normal\s+Started\s+Pod\/started\s+Started container started$/m)
  })
}
