// Issue 5 from the host, with the real kubectl: NodePort and LoadBalancer Services on 127.0.0.1, the
// LoadBalancer's external IP, `kcluster service --url`, a port held by another process reported in
// the Service's events, Ingress routing by host and by path with TLS from a Secret, a deleted Service
// giving back its ports and names, and nothing listening once the cluster is stopped.
import {X509Certificate} from 'node:crypto'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, connect, type AddressInfo} from 'node:net'
import {request} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect as tlsConnect} from 'node:tls'
import {expect, it} from 'vitest'
import {createSelfSignedCertificate} from '../../../src/cluster/network/ingress/ingress-tls.js'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml} from '../workloads.js'

const IMAGE = 'kcluster-test/busybox:1'
const NS = 'hosts'

/** A Deployment whose pods answer with their hostname on / and, under /api/, on /api/. */
const app = (name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${NS}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${IMAGE}
        imagePullPolicy: Never
        command: [sh, -c, 'mkdir -p /w/api && hostname > /w/index.html && hostname > /w/api/index.html && exec httpd -f -p 8080 -h /w']
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${NS}}
spec:
  selector: {app: ${name}}
  ports: [{name: web, port: 80, targetPort: http}]
`

/** GET over plain HTTP; the body, or the connection error's code ('ECONNREFUSED', ...). */
function get(port: number, path = '/', host?: string): Promise<{status?: number; body: string; error?: string}> {
  return new Promise((resolve) => {
    const req = request({host: '127.0.0.1', port, path, timeout: 3000, headers: host ? {host} : {}}, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({status: res.statusCode, body: body.trim()}))
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({body: '', error: error.code ?? error.message}))
    req.end()
  })
}

/** Whether anything accepts a TCP connection on address:port. */
function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port, timeout: 2000}, () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', () => resolve(false))
  })
}

/** A port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const {port} = server.address() as AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

async function podNames(k: E2ECluster, app: string): Promise<string[]> {
  return (await k.kubectlOk(['get', 'pods', '-n', NS, '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean)
}

async function jsonpath(k: E2ECluster, what: string[], path: string): Promise<string> {
  return k.kubectlOk(['get', ...what, '-n', NS, '-o', `jsonpath=${path}`])
}

export function dockerHostAccessCases(cluster: () => E2ECluster): void {
  const listenedOn: number[] = []

  it('NodePort and LoadBalancer Services answer on 127.0.0.1, kubectl shows the external IP, and kcluster service --url prints a URL that works', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', NS])
    const lbPort = await freePort()
    await applyYaml(k, `${app('web')}---
apiVersion: v1
kind: Service
metadata: {name: web-np, namespace: ${NS}}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-lb, namespace: ${NS}}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: ${lbPort}, targetPort: 8080}]
`)
    await k.kubectlOk(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=60s'])
    const pods = await podNames(k, 'web')
    const nodePort = Number(await jsonpath(k, ['svc', 'web-np'], '{.spec.ports[0].nodePort}'))
    expect(nodePort).toBeGreaterThanOrEqual(30000)
    expect(nodePort).toBeLessThanOrEqual(32767)
    expect(pods).toContain((await eventually(async () => (await get(nodePort)).body || undefined, 'the NodePort answering')))
    const row = await eventually(async () => {
      const line = await k.kubectlOk(['get', 'svc', 'web-lb', '-n', NS, '--no-headers'])
      return line.split(/\s+/)[3] === '127.0.0.1' ? line : undefined
    }, 'EXTERNAL-IP 127.0.0.1')
    expect(row).toContain(`${lbPort}:`)
    expect(pods).toContain((await eventually(async () => (await get(lbPort)).body || undefined, 'the load balancer answering')))
    const url = (await k.kcluster(['service', 'web-np', '-n', NS, '--url', '--name', k.name])).stdout.trim()
    expect(url).toBe(`http://127.0.0.1:${nodePort}`)
    expect(pods).toContain((await get(nodePort)).body)
    listenedOn.push(nodePort, lbPort)
  })

  it('reports a load balancer port another process holds in the Service events, and serves it once the port is free', async () => {
    const k = cluster()
    const squatter = createServer((s) => s.end()).listen(0, '127.0.0.1')
    await new Promise((r) => squatter.once('listening', r))
    const port = (squatter.address() as AddressInfo).port
    try {
      await applyYaml(k, `apiVersion: v1
kind: Service
metadata: {name: taken, namespace: ${NS}}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: ${port}, targetPort: 8080}]
`)
      const events = await eventually(async () => {
        const out = await k.kubectlOk(['events', '-n', NS, '--for', 'service/taken'])
        return /Warning\s+SyncLoadBalancerFailed/.test(out) && out.includes(`127.0.0.1:${port}`) ? out : undefined
      }, 'a SyncLoadBalancerFailed event naming the port')
      expect(events).toMatch(/address already in use/)
      expect(await jsonpath(k, ['svc', 'taken'], '{.status.loadBalancer.ingress}')).toBe('')
    } finally {
      await new Promise((r) => squatter.close(r))
    }
    const pods = await podNames(k, 'web')
    expect(pods).toContain(await eventually(async () => (await get(port)).body || undefined, 'the freed port served (retried every 5 s)', 20_000))
    await k.kubectlOk(['delete', 'svc', 'taken', '-n', NS])
  })

  it('two Ingresses route by host and by path to two Services, and a TLS Ingress answers with the certificate of its Secret', async () => {
    const k = cluster()
    const pem = await createSelfSignedCertificate({commonName: 'secure.kcluster.test', hosts: ['secure.kcluster.test']})
    const dir = mkdtempSync(join(tmpdir(), 'kcluster-tls-'))
    writeFileSync(join(dir, 'tls.crt'), pem.cert)
    writeFileSync(join(dir, 'tls.key'), pem.key)
    await k.kubectlOk(['create', 'secret', 'tls', 'secure-tls', '-n', NS, '--cert', join(dir, 'tls.crt'), '--key', join(dir, 'tls.key')])
    await applyYaml(k, `${app('api')}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: by-host, namespace: ${NS}}
spec:
  rules:
  - host: web.kcluster.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: by-path, namespace: ${NS}}
spec:
  rules:
  - http: {paths: [{path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: web}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: secure, namespace: ${NS}}
spec:
  tls: [{hosts: [secure.kcluster.test], secretName: secure-tls}]
  rules:
  - host: secure.kcluster.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`)
    await k.kubectlOk(['rollout', 'status', 'deployment/api', '-n', NS, '--timeout=60s'])
    const [web, api] = [await podNames(k, 'web'), await podNames(k, 'api')]
    const status = await eventually(async () => {
      const raw = await jsonpath(k, ['ingress', 'secure'], '{.status.loadBalancer.ingress[0]}')
      return raw ? (JSON.parse(raw) as {ip: string; ports?: Array<{port: number}>}) : undefined
    }, 'the Ingress address in its status')
    expect(status.ip).toBe('127.0.0.1')
    const [httpPort, httpsPort] = status.ports ? status.ports.map((p) => p.port) : [80, 443]
    expect(await k.kubectlOk(['get', 'ingress', 'by-host', '-n', NS, '--no-headers'])).toMatch(/^by-host\s+kcluster\s+web\.kcluster\.test\s+127\.0\.0\.1\s/)

    expect(web).toContain(await eventually(async () => (await get(httpPort!, '/', 'web.kcluster.test')).body || undefined, 'the host rule'))
    expect(api).toContain((await get(httpPort!, '/api/', 'anything.kcluster.test')).body)
    expect((await get(httpPort!, '/', 'anything.kcluster.test')).status).toBe(404)

    const served = await new Promise<{fingerprint: string; body: string}>((resolve, reject) => {
      const socket = tlsConnect({host: '127.0.0.1', port: httpsPort!, servername: 'secure.kcluster.test', rejectUnauthorized: false}, () => {
        const fingerprint = socket.getPeerCertificate().fingerprint256
        socket.write('GET / HTTP/1.0\r\nHost: secure.kcluster.test\r\n\r\n')
        let response = ''
        socket.on('data', (c) => (response += c))
        socket.on('end', () => resolve({fingerprint, body: response.split('\r\n\r\n')[1]!.trim()}))
      })
      socket.on('error', reject)
    })
    expect(served.fingerprint).toBe(new X509Certificate(pem.cert).fingerprint256)
    expect(web).toContain(served.body)
    listenedOn.push(httpPort!, httpsPort!)
  })

  it('deleting a Service gives back its node port, its load balancer port, its ClusterIP and its DNS name', async () => {
    const k = cluster()
    const [nodePort, lbPort] = listenedOn
    const clusterIP = await jsonpath(k, ['svc', 'web-np'], '{.spec.clusterIP}')
    const resolver = `
apiVersion: v1
kind: Pod
metadata: {name: resolver, namespace: ${NS}}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: sh, image: kcluster-test/netbox:1, imagePullPolicy: Never, command: [sh, -c, 'trap "exit 0" TERM; sleep 3600 & wait']}]
`
    await applyYaml(k, resolver)
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/resolver', '-n', NS, '--timeout=30s'])
    const lookup = () => k.kubectlOk(['exec', '-n', NS, 'resolver', '--', 'sh', '-c', 'nslookup web-np.hosts.svc.cluster.local; true'])
    expect(await lookup()).toContain(`Address: ${clusterIP}`)
    await k.kubectlOk(['delete', 'svc', 'web-np', 'web-lb', '-n', NS])
    await eventually(async () => !(await listening(nodePort!)) && !(await listening(lbPort!)), 'both host ports closed', 5_000)
    await eventually(async () => (await lookup()).includes("can't find") || undefined, 'the name gone from DNS', 5_000)
    // The address is no longer held by kcluster-net: nothing answers on it from the host's bridge.
    await eventually(async () => !(await listening(80, clusterIP)), 'the ClusterIP gone', 5_000)
  })

  it('nothing listens on the API, node, load balancer or ingress ports once kcluster stop returns; start brings them back', async () => {
    const k = cluster()
    const apiPort = Number(new URL(await k.kubectlOk(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).port)
    // The API also listens on the host's address on the pod network, where the kubernetes Service leads.
    const podSide = await k.kubectlOk(['get', 'endpointslice', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.endpoints[0].addresses[0]}'])
    const ports: Array<[string, number]> = [['127.0.0.1', apiPort], [podSide, apiPort], ...listenedOn.slice(2).map((p): [string, number] => ['127.0.0.1', p])]
    for (const [host, port] of ports) expect(await listening(port, host), `${host}:${port} before the stop`).toBe(true)
    const stopped = await k.kcluster(['stop', '--name', k.name])
    expect(stopped.exitCode, stopped.all).toBe(0)
    for (const [host, port] of ports) expect(await listening(port, host), `${host}:${port} after the stop`).toBe(false)
    const started = await k.kcluster(['start', '--name', k.name, '--wait', '60s'])
    expect(started.exitCode, started.all).toBe(0)
    await eventually(async () => (await get(listenedOn[2]!, '/', 'web.kcluster.test')).body || undefined, 'the ingress back after start', 30_000)
    await k.kubectlOk(['delete', 'namespace', NS, '--wait=true', '--timeout=60s'])
  })
}
