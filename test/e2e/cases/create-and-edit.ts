import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {LONG_RUNNING, TEST_IMAGE} from '../manifests.js'
import {expectClusterIPInRange, expectInNodePodCIDR} from '../workloads.js'

export function createAndEditCases(cluster: () => E2ECluster): void {
  it('kubectl create namespace|configmap|secret|deployment|service|ingress (protobuf bodies) work', async () => {
    const k = cluster()
    expect(await k.kubectlOk(['create', 'namespace', 'pb'])).toContain('namespace/pb created')
    expect(await k.kubectlOk(['create', 'configmap', 'c1', '-n', 'pb', '--from-literal', 'a=1', '--from-literal', 'b=two'])).toContain('configmap/c1 created')
    expect(await k.kubectlOk(['create', 'secret', 'generic', 's1', '-n', 'pb', '--from-literal', 'token=abc'])).toContain('secret/s1 created')
    expect(await k.kubectlOk(['create', 'deployment', 'd1', '-n', 'pb', '--image', TEST_IMAGE, '--replicas', '2', '--', ...LONG_RUNNING])).toContain('deployment.apps/d1 created')
    expect(await k.kubectlOk(['create', 'service', 'clusterip', 'svc1', '-n', 'pb', '--tcp', '80:8080'])).toContain('service/svc1 created')
    expect(await k.kubectlOk(['create', 'serviceaccount', 'robot', '-n', 'pb'])).toContain('serviceaccount/robot created')

    expect(await k.kubectlOk(['get', 'configmap', 'c1', '-n', 'pb', '-o', 'jsonpath={.data.b}'])).toBe('two')
    expect(Buffer.from(await k.kubectlOk(['get', 'secret', 's1', '-n', 'pb', '-o', 'jsonpath={.data.token}']), 'base64').toString()).toBe('abc')
    const deploy = JSON.parse(await k.kubectlOk(['get', 'deployment', 'd1', '-n', 'pb', '-o', 'json']))
    expect(deploy.spec.replicas).toBe(2)
    expect(deploy.spec.template.spec.containers[0].image).toBe(TEST_IMAGE)
    expect(deploy.spec.strategy.type).toBe('RollingUpdate')
    const svc = await k.kubectlOk(['get', 'service', 'svc1', '-n', 'pb'])
    expect(svc).toMatch(/svc1\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/)
    await expectClusterIPInRange(k, svc.split('\n').find((line) => line.startsWith('svc1'))!)
    // An Ingress (protobuf too), given the default class kcluster since it names none.
    expect(await k.kubectlOk(['create', 'ingress', 'in1', '-n', 'pb', '--rule', 'shop.test/api*=svc1:80,tls=s1', '--default-backend', 'svc1:http'])).toContain('ingress.networking.k8s.io/in1 created')
    expect(JSON.parse(await k.kubectlOk(['get', 'ingress', 'in1', '-n', 'pb', '-o', 'jsonpath={.spec}']))).toEqual({
      ingressClassName: 'kcluster',
      defaultBackend: {service: {name: 'svc1', port: {name: 'http'}}},
      rules: [{host: 'shop.test', http: {paths: [{path: '/api', pathType: 'Prefix', backend: {service: {name: 'svc1', port: {number: 80}}}}]}}],
      tls: [{hosts: ['shop.test'], secretName: 's1'}],
    })
  })

  it('kubectl label, annotate and patch (strategic, merge, json) change the object', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'edits'])
    await k.kubectlOk(['create', 'deployment', 'web', '-n', 'edits', '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    expect(await k.kubectlOk(['label', 'deployment', 'web', '-n', 'edits', 'tier=front'])).toContain('deployment.apps/web labeled')
    expect(await k.kubectlOk(['annotate', 'deployment', 'web', '-n', 'edits', 'owner=team-a'])).toContain('deployment.apps/web annotated')
    await k.kubectlOk(['patch', 'deployment', 'web', '-n', 'edits', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"busybox","image":"kcluster-test/busybox:2"}]}}}}'])
    await k.kubectlOk(['patch', 'deployment', 'web', '-n', 'edits', '--type', 'merge', '-p', '{"spec":{"replicas":4}}'])
    await k.kubectlOk(['patch', 'deployment', 'web', '-n', 'edits', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/stage","value":"beta"}]'])
    // "no change" is checked on an object no controller writes (the Deployment's status keeps moving).
    await k.kubectlOk(['create', 'configmap', 'steady', '-n', 'edits', '--from-literal', 'a=1'])
    const noop = await k.kubectlOk(['patch', 'configmap', 'steady', '-n', 'edits', '--type', 'merge', '-p', '{"data":{"a":"1"}}'])
    expect(noop).toContain('patched (no change)')
    const d = JSON.parse(await k.kubectlOk(['get', 'deployment', 'web', '-n', 'edits', '-o', 'json']))
    expect(d.metadata.labels).toMatchObject({app: 'web', tier: 'front', stage: 'beta'})
    expect(d.metadata.annotations.owner).toBe('team-a')
    expect(d.spec.replicas).toBe(4)
    expect(d.spec.template.spec.containers).toHaveLength(1)
    expect(d.spec.template.spec.containers[0].image).toBe('kcluster-test/busybox:2')
    const bad = await k.kubectl(['patch', 'deployment', 'web', '-n', 'edits', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/nope","value":1}]'])
    expect(bad.exitCode).not.toBe(0)
  })

  it('kubectl edit applies the change made by EDITOR', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'configmap', 'editme', '--from-literal', 'color=red'])
    const dir = mkdtempSync(join(tmpdir(), 'kcluster-editor-'))
    const editor = join(dir, 'editor.sh')
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/color: red/color: blue/" "$1"\n')
    chmodSync(editor, 0o755)
    const out = await k.kubectlOk(['edit', 'configmap', 'editme'], {env: {EDITOR: editor, KUBE_EDITOR: editor}})
    expect(out).toContain('configmap/editme edited')
    expect(await k.kubectlOk(['get', 'configmap', 'editme', '-o', 'jsonpath={.data.color}'])).toBe('blue')
  })

  it('kubectl delete --wait, -l, and a finalizer that holds deletion until removed', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'dels'])
    for (const n of ['a', 'b', 'c']) await k.kubectlOk(['create', 'configmap', `cm-${n}`, '-n', 'dels', '--from-literal', 'x=1'])
    await k.kubectlOk(['label', 'configmap', 'cm-a', 'cm-b', '-n', 'dels', 'group=ab'])
    const byLabel = await k.kubectlOk(['delete', 'configmap', '-n', 'dels', '-l', 'group=ab'])
    expect(byLabel).toContain('configmap "cm-a" deleted')
    expect(byLabel).toContain('configmap "cm-b" deleted')
    // Every namespace also holds kube-root-ca.crt, as on a real cluster.
    expect(await k.kubectlOk(['get', 'configmap', '-n', 'dels', '--field-selector', 'metadata.name!=kube-root-ca.crt', '-o', 'name'])).toBe('configmap/cm-c')

    await k.kubectlOk(['patch', 'configmap', 'cm-c', '-n', 'dels', '--type', 'merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}'])
    const held = await k.kubectl(['delete', 'configmap', 'cm-c', '-n', 'dels', '--wait=false'])
    expect(held.exitCode).toBe(0)
    const marked = JSON.parse(await k.kubectlOk(['get', 'configmap', 'cm-c', '-n', 'dels', '-o', 'json']))
    expect(marked.metadata.deletionTimestamp).toBeTruthy()
    const waiting = k.kubectl(['delete', 'configmap', 'cm-c', '-n', 'dels', '--wait=true', '--timeout=30s'])
    await new Promise((r) => setTimeout(r, 1000))
    await k.kubectlOk(['patch', 'configmap', 'cm-c', '-n', 'dels', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]'])
    const done = await waiting
    expect(done.exitCode, done.stderr).toBe(0)
    const gone = await k.kubectl(['get', 'configmap', 'cm-c', '-n', 'dels'])
    expect(gone.stderr).toContain('configmaps "cm-c" not found')
  })

  it('deleting a namespace removes its content and then the namespace', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'doomed'])
    await k.kubectlOk(['create', 'configmap', 'x', '-n', 'doomed', '--from-literal', 'a=b'])
    await k.kubectlOk(['run', 'p', '-n', 'doomed', '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    const out = await k.kubectlOk(['delete', 'namespace', 'doomed', '--timeout=60s'], {timeout: 90_000})
    expect(out).toContain('namespace "doomed" deleted')
    const gone = await k.kubectl(['get', 'namespace', 'doomed'])
    expect(gone.stderr).toContain('namespaces "doomed" not found')
  })

  it('a pod created with kubectl run reaches Running and Ready, and deletion waits for termination', async () => {
    const k = cluster()
    await k.kubectlOk(['run', 'runner', '--image', TEST_IMAGE, '--', ...LONG_RUNNING])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/runner', '--timeout=30s'])
    const pod = JSON.parse(await k.kubectlOk(['get', 'pod', 'runner', '-o', 'json']))
    expect(pod.status.phase).toBe('Running')
    expect(pod.spec.nodeName).toBe(k.name)
    expect(pod.status.containerStatuses[0]).toMatchObject({name: 'runner', ready: true, started: true, restartCount: 0})
    const deleted = await k.kubectlOk(['delete', 'pod', 'runner'])
    expect(deleted).toContain('pod "runner" deleted')
    await eventually(async () => (await k.kubectl(['get', 'pod', 'runner'])).exitCode !== 0, 'pod gone')
    await expectInNodePodCIDR(k, pod.status.podIP)
  })

  it('kubectl delete --cascade=foreground|orphan|background finishes and treats dependents as a real cluster does', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'cascade'])
    const child = async (owner: string, name: string) => {
      const uid = await k.kubectlOk(['get', 'configmap', owner, '-n', 'cascade', '-o', 'jsonpath={.metadata.uid}'])
      const manifest = JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'cascade', ownerReferences: [{apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid, blockOwnerDeletion: true}]}})
      await k.kubectlOk(['create', '-f', '-'], {input: manifest})
    }
    for (const mode of ['foreground', 'orphan', 'background']) {
      await k.kubectlOk(['create', 'configmap', `owner-${mode}`, '-n', 'cascade'])
      await child(`owner-${mode}`, `kid-${mode}`)
      const out = await k.kubectlOk(['delete', 'configmap', `owner-${mode}`, '-n', 'cascade', `--cascade=${mode}`, '--timeout=30s'])
      expect(out).toContain(`configmap "owner-${mode}" deleted`)
    }
    await eventually(async () => (await k.kubectlOk(['get', 'configmaps', '-n', 'cascade', '-o', 'name'])).split('\n').filter((l) => l.includes('kid-')).join(',') === 'configmap/kid-orphan', 'only the orphan left')
    expect(await k.kubectlOk(['get', 'configmap', 'kid-orphan', '-n', 'cascade', '-o', 'jsonpath={.metadata.ownerReferences}'])).toBe('')
  })
}
