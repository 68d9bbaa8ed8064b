import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import type {E2ECluster} from '../harness.js'
import {manifest} from '../manifests.js'

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
    expect(conflicted.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .data.mode')
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
    const first = await cluster().kcluster(['apply', '--name', cluster().name, '-f', file])
    expect(first.exitCode, first.all).toBe(0)
    expect(first.stdout).toContain('namespace/apply-kc created')
    expect(first.stdout).toContain('deployment.apps/web created')
    const second = await cluster().kcluster(['apply', '--name', cluster().name, '-f', file])
    expect(second.stdout).toContain('deployment.apps/web unchanged')
    writeFileSync(file, manifest('apply-kc', 2, 'two'))
    const third = await cluster().kcluster(['apply', '--name', cluster().name, '-f', file])
    expect(third.stdout).toContain('configmap/settings configured')
    expect(third.stdout).toContain('deployment.apps/web unchanged')
    const dry = await cluster().kcluster(['apply', '--name', cluster().name, '-f', file, '--dry-run=server'])
    expect(dry.stdout).toContain('(server dry run)')
  })
}
