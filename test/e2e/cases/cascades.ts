// Acceptance items 2 and 3 of issue 3: ReplicaSets keep their pods, and deleting a Deployment or a
// namespace takes what it owns with it (or leaves it, with --cascade=orphan), as on a real cluster.
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml, deploymentManifest, podNames, settledPods, ensureNamespace} from '../workloads.js'
import {LONG_RUNNING, LONG_RUNNING_YAML, TEST_IMAGE} from '../manifests.js'

const NS = 'cascades'
const HOLD = 'example.com/hold'

async function names(k: E2ECluster, namespace: string, kinds: string, selector?: string): Promise<string[]> {
  const args = ['get', kinds, '-n', namespace, '-o', 'name', ...(selector ? ['-l', selector] : [])]
  return (await k.kubectlOk(args)).split('\n').filter(Boolean)
}

/** A finalizer the test holds, so the pod outlives its deletion until the test lets it go. */
async function hold(k: E2ECluster, namespace: string, pod: string): Promise<void> {
  await k.kubectlOk(['patch', 'pod', pod, '-n', namespace, '--type=merge', '-p', JSON.stringify({metadata: {finalizers: [HOLD]}})])
}

async function release(k: E2ECluster, namespace: string, pod: string): Promise<void> {
  await k.kubectlOk(['patch', 'pod', pod, '-n', namespace, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]'])
}

async function deployed(k: E2ECluster, name: string, namespace: string, replicas: number): Promise<void> {
  await applyYaml(k, deploymentManifest({name, namespace, replicas}))
  await k.kubectlOk(['rollout', 'status', `deployment/${name}`, '-n', namespace, '--timeout=30s'], {timeout: 40_000})
}

export function cascadeCases(cluster: () => E2ECluster): void {
  it('a pod deleted from a ReplicaSet is replaced by a new one the ReplicaSet owns', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await applyYaml(
      k,
      `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: keeper, namespace: ${NS}}
spec:
  replicas: 2
  selector: {matchLabels: {app: keeper}}
  template:
    metadata: {labels: {app: keeper}}
    spec:
      containers: [{name: main, image: ${TEST_IMAGE}, imagePullPolicy: IfNotPresent, command: ${LONG_RUNNING_YAML}}]
`,
    )
    await k.kubectlOk(['wait', '--for=jsonpath={.status.readyReplicas}=2', 'replicaset/keeper', '-n', NS, '--timeout=30s'])
    const [victim, survivor] = (await settledPods(k, NS, 'app=keeper', 2)).map((p) => p.metadata.name)
    expect(await k.kubectlOk(['delete', 'pod', victim!, '-n', NS, '--timeout=30s'])).toContain(`pod "${victim}" deleted`)
    await k.kubectlOk(['wait', '--for=jsonpath={.status.readyReplicas}=2', 'replicaset/keeper', '-n', NS, '--timeout=30s'])
    const pods = await settledPods(k, NS, 'app=keeper', 2)
    const replacement = pods.find((p) => p.metadata.name !== survivor)!
    expect(replacement.metadata.name).not.toBe(victim)
    expect(replacement.metadata.name).toMatch(/^keeper-[a-z0-9]{5}$/)
    expect(replacement.metadata.ownerReferences).toEqual([expect.objectContaining({kind: 'ReplicaSet', name: 'keeper', controller: true, blockOwnerDeletion: true})])
    expect(await k.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=keeper', '-o', 'jsonpath={.items[*].message}'])).toContain(
      `Created pod: ${replacement.metadata.name}`,
    )
  })

  it('kubectl delete deployment removes its ReplicaSets and pods', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await deployed(k, 'doomed', NS, 2)
    expect(await names(k, NS, 'rs,pods', 'app=doomed')).toHaveLength(3)
    expect(await k.kubectlOk(['delete', 'deployment', 'doomed', '-n', NS, '--timeout=30s'])).toContain('deployment.apps "doomed" deleted')
    await eventually(async () => (await names(k, NS, 'deploy,rs,pods', 'app=doomed')).length === 0, 'the ReplicaSet and pods to be gone', 15_000)
  })

  it('kubectl delete deployment --cascade=orphan leaves the ReplicaSet and pods, without the owner reference', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await deployed(k, 'orphaner', NS, 2)
    const rsBefore = JSON.parse(await k.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=orphaner', '-o', 'json'])).items[0]
    expect(rsBefore.metadata.ownerReferences[0]).toMatchObject({kind: 'Deployment', name: 'orphaner'})
    const podUids = (await settledPods(k, NS, 'app=orphaner', 2)).map((p) => p.metadata.uid).sort()
    expect(await k.kubectlOk(['delete', 'deployment', 'orphaner', '-n', NS, '--cascade=orphan', '--timeout=30s'])).toContain('deployment.apps "orphaner" deleted')
    await k.kubectlOk(['wait', '--for=delete', 'deployment/orphaner', '-n', NS, '--timeout=15s'])
    const rsAfter = await eventually(async () => {
      const rs = JSON.parse(await k.kubectlOk(['get', 'rs', rsBefore.metadata.name, '-n', NS, '-o', 'json']))
      return !rs.metadata.ownerReferences && rs
    }, 'the ReplicaSet to lose its owner reference', 15_000)
    expect(rsAfter.metadata.uid).toBe(rsBefore.metadata.uid)
    expect(rsAfter.metadata.deletionTimestamp).toBeUndefined()
    // A garbage collector that wrongly cascaded would have acted by now.
    await new Promise((r) => setTimeout(r, 1000))
    const pods = await settledPods(k, NS, 'app=orphaner', 2)
    expect(pods.map((p) => p.metadata.uid).sort()).toEqual(podUids)
    expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.name === rsBefore.metadata.name)).toBe(true)
    expect(await k.kubectlOk(['get', 'rs', rsBefore.metadata.name, '-n', NS, '-o', 'jsonpath={.spec.replicas}/{.status.readyReplicas}'])).toBe('2/2')
  })

  it('kubectl delete deployment --cascade=foreground keeps the Deployment until its dependents are gone', async () => {
    const k = cluster()
    await ensureNamespace(k, NS)
    await deployed(k, 'fore', NS, 2)
    const [held, other] = await podNames(k, NS, 'app=fore')
    await hold(k, NS, held!)
    expect(await k.kubectlOk(['delete', 'deployment', 'fore', '-n', NS, '--cascade=foreground', '--wait=false'])).toContain('deployment.apps "fore" deleted')
    // The dependents go first: the unheld pod disappears while the Deployment and its ReplicaSet stay,
    // marked for deletion and held by the foregroundDeletion finalizer.
    await eventually(async () => !(await podNames(k, NS, 'app=fore')).includes(other!), `pod ${other} to be deleted`, 15_000)
    const deploy = JSON.parse(await k.kubectlOk(['get', 'deployment', 'fore', '-n', NS, '-o', 'json']))
    expect(deploy.metadata.finalizers).toEqual(['foregroundDeletion'])
    expect(deploy.metadata.deletionTimestamp).toBeDefined()
    const rs = JSON.parse(await k.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=fore', '-o', 'json'])).items
    expect(rs).toHaveLength(1)
    expect(rs[0].metadata.deletionTimestamp).toBeDefined()
    expect(await podNames(k, NS, 'app=fore')).toEqual([held])
    expect(await k.kubectlOk(['get', 'pod', held!, '-n', NS, '-o', 'jsonpath={.metadata.deletionTimestamp}'])).not.toBe('')

    await release(k, NS, held!)
    await k.kubectlOk(['wait', '--for=delete', 'deployment/fore', '-n', NS, '--timeout=20s'], {timeout: 30_000})
    expect(await names(k, NS, 'deploy,rs,pods', 'app=fore')).toEqual([])
  })

  it('kubectl delete namespace removes everything in it, then the namespace', async () => {
    const k = cluster()
    const ns = 'doomed-ns'
    await k.kubectlOk(['create', 'namespace', ns])
    await deployed(k, 'web', ns, 2)
    await k.kubectlOk(['create', 'service', 'clusterip', 'web', '-n', ns, '--tcp=80:8080'])
    await k.kubectlOk(['create', 'configmap', 'settings', '-n', ns, '--from-literal=a=1'])
    await k.kubectlOk(['create', 'secret', 'generic', 'creds', '-n', ns, '--from-literal=p=2'])
    await k.kubectlOk(['run', 'lingering', '-n', ns, '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/lingering', '-n', ns, '--timeout=30s'])
    await hold(k, ns, 'lingering')
    expect(await names(k, ns, 'serviceaccounts')).toEqual(['serviceaccount/default'])

    expect(await k.kubectlOk(['delete', 'namespace', ns, '--wait=false'])).toContain(`namespace "${ns}" deleted`)
    expect(await k.kubectlOk(['get', 'namespace', ns])).toMatch(new RegExp(`^${ns}\\s+Terminating\\s+\\S+$`, 'm'))
    const refused = await k.kubectl(['create', 'configmap', 'late', '-n', ns])
    expect(refused.exitCode).not.toBe(0)
    expect(refused.stderr).toContain(`configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`)
    // Everything but the held pod goes; the namespace waits for it.
    await eventually(
      async () => (await names(k, ns, 'all,configmaps,secrets,serviceaccounts,endpoints,endpointslices')).join(',') === 'pod/lingering',
      'everything but the held pod to be deleted',
      20_000,
    )
    expect(await k.kubectlOk(['get', 'namespace', ns, '-o', 'jsonpath={.status.phase}'])).toBe('Terminating')

    await release(k, ns, 'lingering')
    await k.kubectlOk(['wait', '--for=delete', `namespace/${ns}`, '--timeout=30s'], {timeout: 40_000})
    const gone = await k.kubectl(['get', 'namespace', ns])
    expect(gone.stderr).toContain(`namespaces "${ns}" not found`)
    expect(await names(k, ns, 'all,configmaps,secrets,serviceaccounts,endpoints,endpointslices')).toEqual([])
  })
}
