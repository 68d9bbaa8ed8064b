// NodePort and LoadBalancer Services answering on 127.0.0.1 from a control plane on the real Docker
// engine: two httpd pods behind each, requests spread over both, scaling to zero resets connections,
// deleting a Service frees its port, and a taken load balancer port is a Warning event. Needs the
// local image kcluster-test/busybox:1 (scripts/docker-up.sh); never pulls. Skipped without an engine,
// except under CI=true where a missing engine fails.
import {randomBytes, randomInt} from 'node:crypto'
import http from 'node:http'
import net from 'node:net'
import Docker from 'dockerode'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {removeEverything} from '../../src/cluster/runtime/docker/cluster-lifecycle.js'
import {engine, itFindsDockerUnderCI} from '../support/docker-engine.js'
import {eventually, startTestCluster, type TestCluster} from './harness.js'

const IMAGE = 'kcluster-test/busybox:1'
const cluster = `it-hostsvc-${randomBytes(3).toString('hex')}`
const NS = '/api/v1/namespaces/default'

itFindsDockerUnderCI()

/** One request on a fresh connection: the body, or the error code (ECONNRESET, ECONNREFUSED, ...). */
function get(port: number): Promise<{body?: string; error?: string}> {
  return new Promise((resolve) => {
    const req = http.get({host: '127.0.0.1', port, path: '/', agent: false, timeout: 3000}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({body: Buffer.concat(chunks).toString().trim()}))
      res.on('error', (e: NodeJS.ErrnoException) => resolve({error: e.code ?? e.message}))
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'})))
    req.on('error', (e: NodeJS.ErrnoException) => resolve({error: e.code ?? e.message}))
  })
}

/** Polls until requests to `port` have been answered by `count` different pods. */
async function answeredByPods(port: number, count: number, timeoutMs = 60_000): Promise<Set<string>> {
  const seen = new Set<string>()
  await eventually(async () => {
    const {body} = await get(port)
    if (body) seen.add(body)
    return seen.size >= count
  }, `answers from ${count} pods on 127.0.0.1:${port}`, timeoutMs, 100)
  return seen
}

function canBind(port: number): Promise<boolean> {
  const s = net.createServer()
  return new Promise((resolve) => {
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

describe.skipIf(!engine.ok)('NodePort and LoadBalancer Services on the host (Docker)', () => {
  const docker = new Docker()
  let c: TestCluster
  const lbPort = 18_080 + randomInt(0, 900)

  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web'},
    spec: {
      replicas: 2,
      selector: {matchLabels: {app: 'web'}},
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'httpd', image: IMAGE, imagePullPolicy: 'Never', ports: [{name: 'http', containerPort: 8080}],
            command: ['sh', '-c', 'mkdir -p /w && echo $(hostname) > /w/index.html && exec httpd -f -p 8080 -h /w'],
          }],
        },
      },
    },
  }
  const service = (name: string, type: string, port: number) => ({
    apiVersion: 'v1', kind: 'Service', metadata: {name}, spec: {type, selector: {app: 'web'}, ports: [{name: 'http', port, targetPort: 'http'}]},
  })

  beforeAll(async () => {
    await docker.getImage(IMAGE).inspect() // fails clearly when scripts/docker-up.sh was not run
    c = await startTestCluster({driver: 'docker', name: cluster})
    expect((await c.request('POST', '/apis/apps/v1/namespaces/default/deployments', {body: deployment})).status).toBe(201)
  }, 120_000)

  afterAll(async () => {
    await c?.stop()
    await removeEverything(cluster, {docker})
  }, 60_000)

  let nodePort = 0

  it('answers on 127.0.0.1:<nodePort> of a NodePort Service from both pods', async () => {
    const created = await c.request('POST', `${NS}/services`, {body: service('web-np', 'NodePort', 80)})
    expect(created.status).toBe(201)
    nodePort = created.json.spec.ports[0].nodePort
    const pods = await answeredByPods(nodePort, 2)
    expect([...pods].every((p) => p.startsWith('web-'))).toBe(true)
  }, 90_000)

  it('gives a LoadBalancer Service the address 127.0.0.1 and answers on its port from both pods', async () => {
    expect((await c.request('POST', `${NS}/services`, {body: service('web-lb', 'LoadBalancer', lbPort)})).status).toBe(201)
    await answeredByPods(lbPort, 2, 30_000)
    const svc = await eventually(async () => {
      const r = await c.request('GET', `${NS}/services/web-lb`)
      return r.json.status?.loadBalancer?.ingress ? r.json : undefined
    }, 'the load balancer ingress', 10_000)
    expect(svc.status.loadBalancer.ingress).toEqual([{ip: '127.0.0.1', ipMode: 'VIP'}])
  }, 60_000)

  it('reports a load balancer port that another process holds as a Warning event and leaves the Service pending', async () => {
    const holder = net.createServer()
    const taken = lbPort + 1000
    await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(taken, '127.0.0.1', resolve))
    try {
      expect((await c.request('POST', `${NS}/services`, {body: service('web-busy', 'LoadBalancer', taken)})).status).toBe(201)
      const event = await eventually(async () => {
        const r = await c.request('GET', `${NS}/events?fieldSelector=involvedObject.name=web-busy`)
        return r.json.items.find((e: {reason: string}) => e.reason === 'SyncLoadBalancerFailed')
      }, 'the SyncLoadBalancerFailed event', 10_000)
      expect(event.type).toBe('Warning')
      expect(event.message).toContain(`listen TCP 127.0.0.1:${taken}: address already in use (EADDRINUSE)`)
      expect((await c.request('GET', `${NS}/services/web-busy`)).json.status?.loadBalancer?.ingress).toBeUndefined()
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  }, 30_000)

  it('resets connections once the Deployment is scaled to zero', async () => {
    const patched = await c.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', {body: {spec: {replicas: 0}}, contentType: 'application/merge-patch+json'})
    expect(patched.status).toBe(200)
    for (const port of [nodePort, lbPort]) {
      const {error} = await eventually(async () => {
        const r = await get(port)
        return r.error ? r : undefined
      }, `a refused request on ${port}`, 30_000, 100)
      expect(['ECONNRESET', 'ECONNREFUSED']).toContain(error)
    }
  }, 60_000)

  it('frees the nodePort when its Service is deleted', async () => {
    expect(await canBind(nodePort)).toBe(false)
    expect((await c.request('DELETE', `${NS}/services/web-np`)).status).toBe(200)
    await eventually(() => canBind(nodePort), `127.0.0.1:${nodePort} free`, 5_000, 50)
  }, 15_000)
})
