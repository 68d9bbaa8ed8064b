// The built-in Ingress controller on the real Docker engine (issue 5, acceptance item 5): httpd pods from
// the local image kcluster-test/busybox:1 (scripts/docker-up.sh; never pulled) behind two Services, a
// host-based and a path-based Ingress, and a TLS Ingress whose Secret the test makes; requests go to
// 127.0.0.1 with Host headers and SNI. The controller listens on ephemeral ports (the built-in one,
// which would take 80/443 or 8080/8443, is disabled) so parallel runs never collide. Skipped without
// an engine, except under CI=true where a missing engine fails.
import {randomBytes, X509Certificate} from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import Docker from 'dockerode'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createIngressController, type IngressController} from '../../src/cluster/network/ingress-controller/ingress-controller.js'
import {ingressResources} from '../../src/cluster/network/ingress-controller/ingress-resources.js'
import {createSelfSignedCertificate, type PemPair} from '../../src/cluster/network/ingress/ingress-tls.js'
import {removeEverything} from '../../src/cluster/runtime/docker/cluster-lifecycle.js'
import {engine, itFindsDockerUnderCI} from '../support/docker-engine.js'
import {eventually, startTestCluster, type TestCluster} from './harness.js'

const IMAGE = 'kcluster-test/busybox:1'
const NS = 'default'
const cluster = `it-ingress-${randomBytes(3).toString('hex')}`

itFindsDockerUnderCI()

describe.skipIf(!engine.ok)('the built-in Ingress controller on the real engine', () => {
  let api: TestCluster | undefined
  let ingress: IngressController | undefined
  let site: PemPair
  let rsaSite: PemPair
  let httpPort = 0
  let httpsPort = 0

  beforeAll(async () => {
    await new Docker().getImage(IMAGE).inspect() // fails clearly when scripts/docker-up.sh was not run
    if (!ingressResources()) throw new Error('networking.k8s.io/v1 Ingress and IngressClass are not in src/cluster/api/resources.ts: the API server does not serve them')
    api = await startTestCluster({
      name: cluster,
      driver: 'docker',
      disableControllers: ['ingress-controller'],
      extraControllers: (deps) => [(ingress = createIngressController({...deps, listenHost: '127.0.0.1', ports: [{http: 0, https: 0}]}))],
    })
    site = await createSelfSignedCertificate({commonName: 'secure.example', hosts: ['secure.example'], keyType: 'ecdsa'})
    rsaSite = await createSelfSignedCertificate({commonName: 'rsa.example', hosts: ['rsa.example']})
    for (const [name, body] of [['alpha', 'A'], ['beta', 'B']] as const) {
      await create('/apis/apps/v1/namespaces/default/deployments', deployment(name, body))
    }
    await create('/api/v1/namespaces/default/services', service('alpha', {name: 'http', port: 80, targetPort: 'http'}))
    await create('/api/v1/namespaces/default/services', service('beta', {name: 'web', port: 8000, targetPort: 8080}))
    await create('/api/v1/namespaces/default/secrets', {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'secure-tls'}, type: 'kubernetes.io/tls',
      data: {'tls.crt': Buffer.from(site.cert).toString('base64'), 'tls.key': Buffer.from(site.key).toString('base64')}})
    await create('/api/v1/namespaces/default/secrets', {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'rsa-tls'}, type: 'kubernetes.io/tls',
      data: {'tls.crt': Buffer.from(rsaSite.cert).toString('base64'), 'tls.key': Buffer.from(rsaSite.key).toString('base64')}})
    await create('/apis/networking.k8s.io/v1/namespaces/default/ingresses', ingressObject('by-host', {
      rules: [hostRule('alpha.example', '/', 'Prefix', 'alpha', {number: 80}), hostRule('beta.example', '/', 'Prefix', 'beta', {name: 'web'})]}))
    await create('/apis/networking.k8s.io/v1/namespaces/default/ingresses', ingressObject('by-path', {
      rules: [{host: 'paths.example', http: {paths: [path('/a', 'Prefix', 'alpha', {number: 80}), path('/b', 'Exact', 'beta', {number: 8000})]}}]}))
    await create('/apis/networking.k8s.io/v1/namespaces/default/ingresses', ingressObject('secure', {
      tls: [{hosts: ['secure.example'], secretName: 'secure-tls'}], rules: [hostRule('secure.example', '/', 'Prefix', 'alpha', {number: 80})]}))
    await create('/apis/networking.k8s.io/v1/namespaces/default/ingresses', ingressObject('secure-rsa', {
      tls: [{hosts: ['rsa.example'], secretName: 'rsa-tls'}], rules: [hostRule('rsa.example', '/', 'Prefix', 'beta', {number: 8000})]}))
    const address = await eventually(async () => ingress?.address(), 'the ingress listeners', 10_000)
    httpPort = address.httpPort
    httpsPort = address.httpsPort
    await eventually(async () => (await get('beta.example', '/')).body === 'B\n' && (await get('alpha.example', '/')).body === 'A\n', 'both backends ready behind the ingress', 90_000, 250)
  }, 150_000)

  afterAll(async () => {
    await api?.stop()
    await removeEverything(cluster, {docker: new Docker()})
  }, 90_000)

  it('routes by the Host header to the Service each host rule names, by port number or port name', async () => {
    expect(await get('alpha.example', '/')).toEqual({status: 200, body: 'A\n'})
    expect(await get('beta.example', '/')).toEqual({status: 200, body: 'B\n'})
    expect(await get('beta.example:80', '/')).toEqual({status: 200, body: 'B\n'})
  })

  it('routes by path: Prefix covers the subtree, Exact only the path itself', async () => {
    expect(await get('paths.example', '/a/')).toEqual({status: 200, body: 'A\n'})
    expect(await get('paths.example', '/a/index.html')).toEqual({status: 200, body: 'A\n'})
    expect(await get('paths.example', '/b')).toEqual({status: 200, body: 'B\n'})
    expect(await get('paths.example', '/b/')).toEqual({status: 404, body: 'default backend - 404'})
    expect(await get('paths.example', '/c')).toEqual({status: 404, body: 'default backend - 404'})
  })

  it('answers 404 for a host no Ingress names', async () => {
    expect(await get('nobody.example', '/')).toEqual({status: 404, body: 'default backend - 404'})
  })

  it('serves the certificate of the TLS Ingress\'s Secret for its host, and the default one for others', async () => {
    const secure = await getTls('secure.example', '/')
    expect(secure.body).toBe('A\n')
    expect(secure.fingerprint).toBe(new X509Certificate(site.cert).fingerprint256)
    const other = await getTls('alpha.example', '/')
    expect(other.body).toBe('A\n')
    expect(other.fingerprint).not.toBe(secure.fingerprint)
  })

  it('serves an RSA certificate from a Secret as well as an ECDSA one', async () => {
    // Node installs an SNI certificate in the slot of its key type only: this fails with an ECDSA default certificate.
    const rsa = await getTls('rsa.example', '/')
    expect(rsa.body).toBe('B\n')
    expect(rsa.fingerprint).toBe(new X509Certificate(rsaSite.cert).fingerprint256)
  })

  it('writes 127.0.0.1 and the listener ports to the status of every Ingress it serves', async () => {
    for (const name of ['by-host', 'by-path', 'secure', 'secure-rsa']) {
      const status = await eventually(async () => {
        const res = await api!.request('GET', `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses/${name}`)
        return res.json?.status?.loadBalancer?.ingress ? res.json.status.loadBalancer : undefined
      }, `status of ${name}`)
      expect(status).toEqual({ingress: [{ip: '127.0.0.1', ports: [{port: httpPort, protocol: 'TCP'}, {port: httpsPort, protocol: 'TCP'}]}]})
    }
  })

  it('reports the listener URLs in the control plane\'s status, which `kcluster status` prints', async () => {
    const res = await api!.request('GET', '/kcluster/status')
    expect(res.json.ingress).toEqual({httpURL: `http://127.0.0.1:${httpPort}`, httpsURL: `https://127.0.0.1:${httpsPort}`})
  })

  it('follows a Deployment scaled to zero: the backend answers 503 at once, and again when scaled back', async () => {
    await scale('beta', 0)
    await eventually(async () => (await get('beta.example', '/')).status === 503, 'beta without endpoints', 30_000, 100)
    await scale('beta', 1)
    await eventually(async () => (await get('beta.example', '/')).body === 'B\n', 'beta back', 60_000, 250)
  }, 100_000)

  it('closes its listeners when the control plane stops', async () => {
    await api!.stop()
    api = undefined
    for (const port of [httpPort, httpsPort]) expect(await refused(port)).toBe(true)
  }, 60_000)

  async function create(path: string, body: unknown): Promise<void> {
    const res = await api!.request('POST', path, {body})
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.text}`)
  }

  async function scale(name: string, replicas: number): Promise<void> {
    const res = await api!.request('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/${name}/scale`, {body: {spec: {replicas}}, contentType: 'application/merge-patch+json'})
    expect(res.status).toBe(200)
  }

  function get(host: string, urlPath: string): Promise<{status: number; body: string}> {
    return new Promise((resolve, reject) => {
      const req = http.request({host: '127.0.0.1', port: httpPort, path: urlPath, headers: {Host: host}, agent: false}, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
      })
      req.setTimeout(5000, () => req.destroy(new Error(`GET ${host}${urlPath}: no answer in 5 s`)))
      req.on('error', reject)
      req.end()
    })
  }

  function getTls(host: string, urlPath: string): Promise<{body: string; fingerprint: string}> {
    return new Promise((resolve, reject) => {
      // Not verified on purpose: the point is which certificate is served, compared by fingerprint.
      const req = https.request({host: '127.0.0.1', port: httpsPort, servername: host, path: urlPath, headers: {Host: host}, rejectUnauthorized: false, agent: false}, (res) => {
        const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({body, fingerprint}))
      })
      req.setTimeout(5000, () => req.destroy(new Error(`GET https://${host}${urlPath}: no answer in 5 s`)))
      req.on('error', reject)
      req.end()
    })
  }
})

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({host: '127.0.0.1', port})
    socket.setTimeout(2000, () => socket.destroy())
    socket.on('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', () => resolve(true))
    socket.on('close', () => resolve(true))
  })
}

// httpd serving `body` at /, /a/ (a directory) and /b (a file), ready once it answers on its named port.
function deployment(name: string, body: string) {
  const script = `mkdir -p /www/a && for f in /www/index.html /www/a/index.html /www/b; do echo ${body} > $f; done && exec httpd -f -p 8080 -h /www`
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name},
    spec: {
      replicas: 1,
      selector: {matchLabels: {app: name}},
      template: {
        metadata: {labels: {app: name}},
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'httpd', image: IMAGE, imagePullPolicy: 'Never', command: ['sh', '-c', script],
            ports: [{name: 'http', containerPort: 8080}],
            readinessProbe: {httpGet: {path: '/', port: 'http'}, periodSeconds: 1},
          }],
        },
      },
    },
  }
}

function service(name: string, port: {name: string; port: number; targetPort: number | string}) {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name}, spec: {selector: {app: name}, ports: [{...port, protocol: 'TCP'}]}}
}

type PortRef = {number: number} | {name: string}

function path(p: string, pathType: string, svc: string, port: PortRef) {
  return {path: p, pathType, backend: {service: {name: svc, port}}}
}

function hostRule(host: string, p: string, pathType: string, svc: string, port: PortRef) {
  return {host, http: {paths: [path(p, pathType, svc, port)]}}
}

function ingressObject(name: string, spec: object) {
  return {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name}, spec: {ingressClassName: 'kcluster', ...spec}}
}
