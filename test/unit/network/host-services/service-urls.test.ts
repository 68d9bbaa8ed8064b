import type {Service} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {describeFailure} from '../../../../src/cli/base-command.js'
import {KubeApiError} from '../../../../src/cluster/client/http-client.js'
import {openerFor} from '../../../../src/cluster/services/open-url.js'
import {serviceUrlsVia} from '../../../../src/cluster/services/service-urls.js'
import Command from '../../../../src/commands/service.js'
import {runCommand} from '../../cli/run-command.js'

/** A client that serves one Service (or 404s) and records the paths asked for. */
function clientWith(svc?: Service) {
  const paths: string[] = []
  return {
    paths,
    async get<T>(path: string): Promise<T> {
      paths.push(path)
      if (!svc) throw new KubeApiError(404, 'NotFound', 'services "web" not found')
      return svc as T
    },
  }
}

const target = {cluster: 'kcluster', driver: 'docker' as const, namespace: 'shop', service: 'web'}

function service(spec: Service['spec'], status?: Service['status']): Service {
  return {metadata: {name: 'web', namespace: 'shop'}, spec, status}
}

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeDefined()
  return describeFailure(error)
}

describe('service URLs', () => {
  it('gives a NodePort Service one http URL per nodePort, udp:// for UDP ports', async () => {
    const client = clientWith(service({type: 'NodePort', ports: [{port: 80, nodePort: 30080}, {port: 53, nodePort: 30053, protocol: 'UDP'}]}))
    const result = await serviceUrlsVia(client, target)
    expect(result).toEqual({cluster: 'kcluster', namespace: 'shop', service: 'web', type: 'NodePort', urls: ['http://127.0.0.1:30080', 'udp://127.0.0.1:30053'], notes: []})
    expect(client.paths).toEqual(['/api/v1/namespaces/shop/services/web'])
  })

  it('gives a LoadBalancer Service whose address is 127.0.0.1 the URLs of its own ports', async () => {
    const svc = service({type: 'LoadBalancer', ports: [{port: 8080, nodePort: 31000}, {port: 8443, nodePort: 31001}]}, {loadBalancer: {ingress: [{ip: '127.0.0.1', ipMode: 'VIP'}]}})
    expect((await serviceUrlsVia(clientWith(svc), target)).urls).toEqual(['http://127.0.0.1:8080', 'http://127.0.0.1:8443'])
  })

  it('falls back to the nodePorts of a LoadBalancer Service that is still pending, and says so', async () => {
    const result = await serviceUrlsVia(clientWith(service({type: 'LoadBalancer', ports: [{port: 80, nodePort: 31000}]}, {loadBalancer: {}})), target)
    expect(result.urls).toEqual(['http://127.0.0.1:31000'])
    expect(result.notes).toEqual(['the load balancer of shop/web is still pending (see: kubectl describe service web -n shop); showing its NodePorts'])
  })

  it('refuses a ClusterIP Service with exit 2 and says how to expose it', async () => {
    const failure = await failureOf(serviceUrlsVia(clientWith(service({type: 'ClusterIP', ports: [{port: 80}]})), target))
    expect(failure.exitCode).toBe(2)
    expect(failure.message).toBe('service "web" in namespace "shop" is of type ClusterIP and has no URL on the host')
    expect(failure.fix).toContain(`kubectl patch service web -n shop -p '{"spec":{"type":"NodePort"}}'`)
    expect(failure.fix).toContain('kubectl expose deployment <name> -n shop --type=NodePort --port=80')
    expect(failure.fix).toContain('kubectl port-forward -n shop service/web 8080:80')
  })

  it('reports a missing Service with exit 4', async () => {
    const failure = await failureOf(serviceUrlsVia(clientWith(undefined), target))
    expect(failure.exitCode).toBe(4)
    expect(failure.message).toBe('service "web" not found in namespace "shop" of cluster "kcluster"')
  })

  it('refuses a cluster on the sim driver, whose pods have no network', async () => {
    const failure = await failureOf(serviceUrlsVia(clientWith(service({type: 'NodePort', ports: [{port: 80, nodePort: 30080}]})), {...target, driver: 'sim'}))
    expect(failure.exitCode).toBe(1)
    expect(failure.message).toContain('runs the sim driver')
  })

  it('opens URLs with the platform opener', () => {
    expect(openerFor('linux', 'http://127.0.0.1:1')).toEqual({command: 'xdg-open', args: ['http://127.0.0.1:1']})
    expect(openerFor('darwin', 'http://127.0.0.1:1').command).toBe('open')
    expect(openerFor('win32', 'http://127.0.0.1:1').args).toEqual(['/c', 'start', '""', 'http://127.0.0.1:1'])
  })

  it('kcluster service exits 4 for a cluster that does not exist', async () => {
    const saved = process.env.KCLUSTER_HOME
    process.env.KCLUSTER_HOME = '/nonexistent-kcluster-home'
    try {
      const out = await runCommand(Command, ['web', '--name', 'ghost'])
      expect(out.exitCode).toBe(4)
      expect(out.stderr).toContain('cluster "ghost" does not exist')
    } finally {
      if (saved === undefined) delete process.env.KCLUSTER_HOME
      else process.env.KCLUSTER_HOME = saved
    }
  })
})
