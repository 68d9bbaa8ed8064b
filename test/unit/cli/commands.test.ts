import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {statePaths, writeConfig} from '../../../src/cluster/lifecycle/state-dir.js'
import {ensureCertificates} from '../../../src/cluster/pki/certificates.js'
import Apply from '../../../src/commands/apply.js'
import Delete from '../../../src/commands/delete.js'
import Kubeconfig from '../../../src/commands/kubeconfig.js'
import NodeAdd from '../../../src/commands/node/add.js'
import NodeFail from '../../../src/commands/node/fail.js'
import NodeRemove from '../../../src/commands/node/remove.js'
import Start from '../../../src/commands/start.js'
import Status from '../../../src/commands/status.js'
import Stop from '../../../src/commands/stop.js'
import {runCommand} from './run-command.js'

describe('commands', () => {
  let home: string
  const saved = {home: process.env.KCLUSTER_HOME, kubeconfig: process.env.KUBECONFIG, color: process.env.FORCE_COLOR}

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'kcluster-cli-'))
    process.env.KCLUSTER_HOME = home
    process.env.KUBECONFIG = path.join(home, 'kubeconfig')
    process.env.FORCE_COLOR = '0'
    const p = statePaths('stopped', home)
    await writeConfig(p, {name: 'stopped', driver: 'sim', port: 40_123, createdAt: '2026-11-22T08:00:00.000Z'})
    await ensureCertificates(p.pki)
  })
  afterAll(async () => {
    for (const [key, value] of [['KCLUSTER_HOME', saved.home], ['KUBECONFIG', saved.kubeconfig], ['FORCE_COLOR', saved.color]] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
    await rm(home, {recursive: true, force: true})
  })

  it('status exits 4 for a cluster that does not exist and says how to create it', async () => {
    const out = await runCommand(Status, ['--name', 'ghost'])
    expect(out.exitCode).toBe(4)
    expect(out.stdout).toContain('NotFound')
    expect(out.stdout).toContain('kcluster start --name ghost')
  })

  it('status --json exits 3 for a stopped cluster and prints only JSON', async () => {
    const out = await runCommand(Status, ['--name', 'stopped', '--json'])
    expect(out.exitCode).toBe(3)
    expect(JSON.parse(out.stdout)).toMatchObject({name: 'stopped', state: 'Stopped', apiURL: 'https://127.0.0.1:40123', driver: 'sim'})
  })

  it('stop of a stopped cluster succeeds and says it was not running', async () => {
    const out = await runCommand(Stop, ['--name', 'stopped'])
    expect(out.exitCode).toBe(0)
    expect(out.stdout).toContain('Cluster "stopped" is not running.')
  })

  it('stop of a missing cluster exits 4 with what happened, why and what to do on stderr', async () => {
    const out = await runCommand(Stop, ['--name', 'ghost'])
    expect(out.exitCode).toBe(4)
    expect(out.stderr).toMatch(/Error: cluster "ghost" does not exist\n {2}Why: there is no .*config\.json\n {2}Fix: create it with: kcluster start --name ghost/)
    expect(out.stdout).toBe('')
  })

  it('reports a failure as JSON with --json', async () => {
    const out = await runCommand(Stop, ['--name', 'ghost', '--json'])
    expect(out.exitCode).toBe(4)
    expect(JSON.parse(out.stdout)).toEqual({error: expect.objectContaining({code: 'NotFound', exitCode: 4, fix: 'create it with: kcluster start --name ghost'})})
  })

  it('kubeconfig prints a standalone kubeconfig for the cluster', async () => {
    const out = await runCommand(Kubeconfig, ['--name', 'stopped'])
    expect(out.exitCode).toBe(0)
    const config = parse(out.stdout)
    expect(config['current-context']).toBe('stopped')
    expect(config.clusters[0].cluster.server).toBe('https://127.0.0.1:40123')
  })

  it('apply to a stopped cluster exits 3 and says how to start it', async () => {
    const out = await runCommand(Apply, ['--name', 'stopped', '-f', '-'])
    expect(out.exitCode).toBe(3)
    expect(out.stderr).toContain('Fix: start it with: kcluster start --name stopped')
  })

  it('apply rejects --dry-run=client as a flag error (exit 2)', async () => {
    const out = await runCommand(Apply, ['-f', 'x.yaml', '--dry-run=client'])
    expect(out.exitCode).toBe(2)
  })

  it('start --driver docker fails clearly when no Docker engine answers, creating nothing', async () => {
    const saved = process.env.DOCKER_HOST
    process.env.DOCKER_HOST = `unix://${path.join(home, 'no-docker.sock')}`
    try {
      const out = await runCommand(Start, ['--name', 'dock', '--driver', 'docker', '--json'])
      expect(out.exitCode).toBe(1)
      expect(JSON.parse(out.stdout).error).toMatchObject({code: 'DriverUnavailable', message: 'the docker driver cannot run here'})
      expect(JSON.parse(out.stdout).error).toMatchObject({why: expect.stringContaining('the Docker engine is not running'), fix: 'start Docker (sudo systemctl start docker), or use --driver sim'})
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST
      else process.env.DOCKER_HOST = saved
    }
    const status = await runCommand(Status, ['--name', 'dock', '--json'])
    expect(JSON.parse(status.stdout).state).toBe('NotFound')
  })

  it('start rejects a name that is not a DNS label with exit 2', async () => {
    const out = await runCommand(Start, ['--name', 'Not_Valid'])
    expect(out.exitCode).toBe(2)
    expect(out.stderr).toContain('invalid cluster name "Not_Valid"')
  })

  it('start rejects a node size that is not a quantity with exit 2, before creating anything', async () => {
    const out = await runCommand(Start, ['--name', 'sized', '--node-memory', 'lots'])
    expect(out.exitCode).toBe(2)
    expect(out.stderr).toContain('invalid --node-memory "lots"')
    expect(out.stderr).toContain('4Gi')
    const status = await runCommand(Status, ['--name', 'sized', '--json'])
    expect(JSON.parse(status.stdout).state).toBe('NotFound')
  })

  it('node add on a stopped cluster exits 3 and says how to start it', async () => {
    const out = await runCommand(NodeAdd, ['worker-1', '--name', 'stopped'])
    expect(out.exitCode).toBe(3)
    expect(out.stderr).toContain('cluster "stopped" is not running')
    expect(out.stderr).toContain('kcluster start --name stopped')
  })

  it('node fail and node remove refuse the first node, which runs the control plane', async () => {
    for (const command of [NodeFail, NodeRemove]) {
      const out = await runCommand(command, ['stopped', '--name', 'stopped'])
      expect(out.exitCode).toBe(2)
      expect(out.stderr).toContain(`node "stopped" is the cluster's first node`)
    }
  })

  it('delete removes the state dir and succeeds again when there is nothing left', async () => {
    const first = await runCommand(Delete, ['--name', 'stopped'])
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain(`removed ${path.join(home, 'stopped')}`)
    const second = await runCommand(Delete, ['--name', 'stopped'])
    expect(second.exitCode).toBe(0)
    expect(second.stdout).toContain('does not exist; nothing to delete')
  })
})
