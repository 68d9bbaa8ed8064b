import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import type {E2ECluster} from '../harness.js'

export function manifest(ns: string, replicas = 2, data = 'one'): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  mode: ${data}
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: ${ns}
stringData:
  password: hunter2
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  namespace: ${ns}
  labels:
    app: solo
spec:
  containers:
  - name: main
    image: kcluster-test/busybox:1
    imagePullPolicy: Never
    command: ["sleep", "3600"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: kcluster-test/busybox:1
        imagePullPolicy: Never
        ports:
        - containerPort: 8080
`
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kcluster-manifest-')), name)
  writeFileSync(path, text)
  return path
}

export function applyCases(cluster: () => E2ECluster): void {
  it('client-side kubectl apply reports created, then unchanged, then configured', async () => {
    const file = tempFile('app.yaml', manifest('apply-csa'))
    const first = await cluster().kubectlOk(['apply', '-f', file])
    expect(first.trim().split('\n')).toEqual([
      'namespace/apply-csa created',
      'configmap/settings created',
      'secret/creds created',
      'service/web created',
      'pod/solo created',
      'deployment.apps/web created',
    ])
    const second = await cluster().kubectlOk(['apply', '-f', file])
    expect(second.trim().split('\n').every((l) => l.endsWith(' unchanged'))).toBe(true)
    writeFileSync(file, manifest('apply-csa', 3))
    const third = await cluster().kubectlOk(['apply', '-f', file])
    expect(third).toContain('deployment.apps/web configured')
    expect(third).toContain('configmap/settings unchanged')
    const yaml = await cluster().kubectlOk(['get', 'deployment', 'web', '-n', 'apply-csa', '-o', 'yaml'])
    expect(yaml).toMatch(/^ {2}replicas: 3$/m)
  })

  it('server-side apply creates, reports conflicts with another manager, and takes over with --force-conflicts', async () => {
    const file = tempFile('app.yaml', manifest('apply-ssa'))
    const first = await cluster().kubectlOk(['apply', '--server-side', '-f', file])
    expect(first).toContain('deployment.apps/web serverside-applied')
    const again = await cluster().kubectlOk(['apply', '--server-side', '-f', file])
    expect(again).toContain('configmap/settings serverside-applied')

    const other = tempFile('cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apply-ssa\ndata:\n  mode: two\n`)
    const conflicted = await cluster().kubectl(['apply', '--server-side', '--field-manager', 'other-team', '-f', other])
    expect(conflicted.exitCode).not.toBe(0)
    expect(conflicted.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.mode')
    expect(conflicted.stderr).toContain('--force-conflicts')

    const forced = await cluster().kubectlOk(['apply', '--server-side', '--field-manager', 'other-team', '--force-conflicts', '-f', other])
    expect(forced).toContain('configmap/settings serverside-applied')
    const mode = await cluster().kubectlOk(['get', 'configmap', 'settings', '-n', 'apply-ssa', '-o', 'jsonpath={.data.mode}'])
    expect(mode).toBe('two')
    const managers = await cluster().kubectlOk(['get', 'configmap', 'settings', '-n', 'apply-ssa', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}'])
    expect(managers.split(' ')).toContain('other-team')
  })

  it('kcluster apply creates, reports unchanged, and configured like kubectl', async () => {
    const file = tempFile('app.yaml', manifest('apply-kc'))
    const first = await cluster().kcluster(['apply', '-f', file])
    expect(first.exitCode, first.all).toBe(0)
    expect(first.stdout).toContain('namespace/apply-kc created')
    expect(first.stdout).toContain('deployment.apps/web created')
    const second = await cluster().kcluster(['apply', '-f', file])
    expect(second.stdout).toContain('deployment.apps/web unchanged')
    writeFileSync(file, manifest('apply-kc', 2, 'two'))
    const third = await cluster().kcluster(['apply', '-f', file])
    expect(third.stdout).toContain('configmap/settings configured')
    expect(third.stdout).toContain('deployment.apps/web unchanged')
    const dry = await cluster().kcluster(['apply', '-f', file, '--dry-run=server'])
    expect(dry.stdout).toContain('(server dry run)')
  })
}
