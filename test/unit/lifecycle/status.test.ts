import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {HttpClient} from '../../../src/cluster/client/http-client.js'
import {writePid} from '../../../src/cluster/lifecycle/pid-file.js'
import {statePaths, writeConfig} from '../../../src/cluster/lifecycle/state-dir.js'
import {clusterStatus} from '../../../src/cluster/lifecycle/status.js'
import {waitForApi, waitForNodeReady} from '../../../src/cluster/lifecycle/wait-ready.js'
import {ensureCertificates, type ClusterCertificates} from '../../../src/cluster/pki/certificates.js'
import {sendJson, startFakeApi, type FakeApi} from './fake-api-server.js'

describe('cluster status and readiness against a fake API server', () => {
  let home: string
  let certs: ClusterCertificates
  let api: FakeApi
  let stand: ChildProcess
  let nodeReady = false
  const paths = () => statePaths('dev', home)

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'kcluster-status-'))
    certs = await ensureCertificates(paths().pki)
    api = await startFakeApi(certs, (req, res) => {
      if (req.url === '/readyz') return void res.end('ok')
      if (req.url === '/kcluster/status') {
        return sendJson(res, 200, {
          name: 'dev', driver: 'sim', startedAt: '2026-11-22T08:00:00Z', apiURL: `https://127.0.0.1:${api.port}`,
          components: [{name: 'apiserver', healthy: true}, {name: 'scheduler', healthy: !req.headers['x-unhealthy']}],
          nodes: [{name: 'dev', ready: true}],
          objectCounts: {pods: 3, 'deployments.apps': 1},
        })
      }
      if (req.url === '/api/v1/nodes/dev') {
        return sendJson(res, 200, {kind: 'Node', metadata: {name: 'dev'}, status: {conditions: [{type: 'Ready', status: nodeReady ? 'True' : 'False', reason: 'KubeletNotReady'}]}})
      }
      sendJson(res, 404, {kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found'})
    })
    // Something alive whose command line is a control plane for "dev".
    stand = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'control-plane', '--name', 'dev'], {stdio: 'ignore'})
  })
  afterAll(async () => {
    stand.kill('SIGKILL')
    await api.close()
    await rm(home, {recursive: true, force: true})
  })

  it('reports NotFound for a cluster that was never created', async () => {
    expect(await clusterStatus('nope', {home})).toMatchObject({state: 'NotFound', message: 'cluster "nope" does not exist'})
  })

  it('reports Stopped when the config exists but no control plane runs', async () => {
    await writeConfig(paths(), {name: 'dev', driver: 'sim', port: api.port, createdAt: '2026-11-22T07:00:00Z'})
    expect(await clusterStatus('dev', {home})).toMatchObject({state: 'Stopped', driver: 'sim', apiURL: `https://127.0.0.1:${api.port}`})
  })

  it('reports Running with the control plane figures and the uptime from startedAt', async () => {
    await writePid(paths().pid, stand.pid)
    const status = await clusterStatus('dev', {home, now: () => new Date('2026-11-22T08:03:12Z')})
    expect(status).toMatchObject({
      state: 'Running',
      pid: stand.pid,
      uptimeSeconds: 192,
      nodes: [{name: 'dev', ready: true}],
      objectCounts: {pods: 3, 'deployments.apps': 1},
    })
    expect(status.components.map((c) => c.name)).toEqual(['apiserver', 'scheduler'])
  })

  it('reports Degraded when the process runs but the API does not answer', async () => {
    await writeConfig(paths(), {name: 'dev', driver: 'sim', port: 1, createdAt: '2026-11-22T07:00:00Z'})
    const status = await clusterStatus('dev', {home})
    expect(status.state).toBe('Degraded')
    expect(status.message).toMatch(/does not answer/)
    await writeConfig(paths(), {name: 'dev', driver: 'sim', port: api.port, createdAt: '2026-11-22T07:00:00Z'})
  })

  it('waits for /readyz over TLS with the admin certificate', async () => {
    const client = new HttpClient({server: `https://127.0.0.1:${api.port}`, ca: certs.caCert, cert: certs.adminCert, key: certs.adminKey})
    try {
      expect(await waitForApi(client, {timeoutMs: 2000})).toEqual({ok: true})
    } finally {
      client.close()
    }
  })

  it('waits for the node to turn Ready and times out with the last reason otherwise', async () => {
    const client = new HttpClient({server: `https://127.0.0.1:${api.port}`, ca: certs.caCert, cert: certs.adminCert, key: certs.adminKey})
    try {
      const timedOut = await waitForNodeReady(client, 'dev', {timeoutMs: 300, pollMs: 50})
      expect(timedOut).toEqual({ok: false, reason: expect.stringMatching(/timed out.*node dev is not Ready: KubeletNotReady/)})
      setTimeout(() => (nodeReady = true), 200)
      expect(await waitForNodeReady(client, 'dev', {timeoutMs: 3000, pollMs: 50})).toEqual({ok: true})
    } finally {
      client.close()
    }
  })

  it('stops waiting as soon as the abandon promise settles', async () => {
    const client = new HttpClient({server: 'https://127.0.0.1:1', ca: certs.caCert, cert: certs.adminCert, key: certs.adminKey})
    const started = Date.now()
    const outcome = await waitForApi(client, {timeoutMs: 10_000, pollMs: 20, abandon: Promise.resolve('exited with code 1')})
    expect(outcome).toEqual({ok: false, reason: 'exited with code 1'})
    expect(Date.now() - started).toBeLessThan(2000)
    client.close()
  })
})
