// The controller against a real registry and shared informers, with backends on 127.0.0.1 standing in
// for pods: EndpointSlices are written by hand (no EndpointSlice controller runs here).
import net from 'node:net'
import type {Service} from 'kubernetes-types/core/v1.js'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {resourceOfKind} from '../../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {systemClock} from '../../../../src/cluster/clock.js'
import {SharedInformerFactory} from '../../../../src/cluster/controllers/informers/shared-informer-factory.js'
import {createHostServicesController, type HostServicesController} from '../../../../src/cluster/network/host-services/host-services-controller.js'
import {pollUntil} from '../../../support/eventually.js'
import {openTestRegistry, type TestRegistry} from '../../../support/test-registry.js'
import {ask, outcome, tcpBackend, type TcpBackend} from '../proxy/backends.js'

const SERVICES = resourceOfKind('Service')
const SLICES = resourceOfKind('EndpointSlice')
const EVENTS = resourceOfKind('Event')
const HOST = '127.0.0.1'

let t: TestRegistry
let controller: HostServicesController
const cleanups: Array<() => unknown> = []

beforeEach(async () => {
  t = await openTestRegistry(systemClock)
  controller = createHostServicesController({store: t.store, registry: t.registry, clock: systemClock, informers: new SharedInformerFactory(t.store), listenHost: HOST, retryMs: 200})
  controller.start()
})
afterEach(async () => {
  await controller.stop()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await t.store.close()
})

async function backend(name: string): Promise<TcpBackend> {
  const b = await tcpBackend(name)
  cleanups.push(() => b.close())
  return b
}

async function createService(name: string, spec: Service['spec']): Promise<Service> {
  const svc = {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'default'}, spec: {selector: {app: name}, ...spec}}
  return (await t.registry.create(SERVICES, 'default', svc as KubeObject, {manager: 'test'})) as Service
}

async function writeSlice(service: string, backends: TcpBackend[]): Promise<void> {
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {name: `${service}-x`, namespace: 'default', labels: {'kubernetes.io/service-name': service}},
    addressType: 'IPv4',
    endpoints: backends.map((b) => ({addresses: [b.endpoint.ip], conditions: {ready: true}})),
    // One port for all: the backends are told apart by port, so each test uses one backend per slice.
    ports: [{name: '', port: backends[0]?.endpoint.port ?? 1, protocol: 'TCP'}],
  }
  await t.registry.update(SLICES, 'default', slice.metadata.name, () => slice as KubeObject, {manager: 'test', allowCreate: true})
}

async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((resolve) => s.listen(0, HOST, resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise((resolve) => s.close(resolve))
  return port
}

async function portIsFree(port: number): Promise<boolean> {
  const s = net.createServer()
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false))
    s.listen(port, HOST, () => resolve(true))
  })
  if (ok) await new Promise((resolve) => s.close(resolve))
  return ok
}

const answers = (port: number) => pollUntil(() => ask(port).catch(() => undefined), `an answer on ${port}`, 5000, 20)
const getService = async (name: string) => (await t.registry.get(SERVICES, 'default', name)) as Service
const events = async (reason: string) => (await t.registry.list(EVENTS, 'default')).items.filter((e) => (e as {reason?: string}).reason === reason) as Array<KubeObject & {message: string; type: string; source: {component: string}}>

describe('host services controller', () => {
  it('answers on 127.0.0.1:<nodePort> from the Service endpoints and follows a change of endpoints', async () => {
    const [a, b] = [await backend('a'), await backend('b')]
    const svc = await createService('np', {type: 'NodePort', ports: [{port: 80, targetPort: 8080}]})
    const nodePort = svc.spec!.ports![0]!.nodePort!
    await writeSlice('np', [a])
    expect(await answers(nodePort)).toBe('a:hello')
    await writeSlice('np', [b])
    await pollUntil(async () => (await ask(nodePort)) === 'b:hello', 'the new endpoint', 1000, 10)
  })

  it('resets connections to a nodePort whose Service has no ready endpoint', async () => {
    const svc = await createService('empty', {type: 'NodePort', ports: [{port: 80}]})
    const nodePort = svc.spec!.ports![0]!.nodePort!
    await pollUntil(async () => (await outcome(nodePort)) === 'ECONNRESET', 'a reset from the listener', 5000, 20)
  })

  it('gives a LoadBalancer Service the address 127.0.0.1 and answers on its port', async () => {
    const a = await backend('a')
    const port = await freePort()
    await createService('lb', {type: 'LoadBalancer', ports: [{port, targetPort: 8080}]})
    await writeSlice('lb', [a])
    expect(await answers(port)).toBe('a:hello')
    const svc = await pollUntil(async () => ((await getService('lb')).status?.loadBalancer?.ingress ? getService('lb') : undefined), 'the ingress', 5000, 20)
    expect(svc.status!.loadBalancer).toEqual({ingress: [{ip: HOST, ipMode: 'VIP'}]})
    expect(svc.metadata!.managedFields?.some((f) => f.manager === 'cloud-controller-manager' && f.subresource === 'status')).toBe(true)
    await pollUntil(async () => (await events('EnsuredLoadBalancer')).length === 1, 'the EnsuredLoadBalancer event', 5000, 20)
  })

  it('reports a taken load balancer port as a Warning event, keeps the Service pending, and takes the port once freed', async () => {
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, HOST, resolve))
    const port = (holder.address() as net.AddressInfo).port
    await createService('busy', {type: 'LoadBalancer', ports: [{port}]})
    const [warning] = await pollUntil(async () => ((await events('SyncLoadBalancerFailed')).length > 0 ? events('SyncLoadBalancerFailed') : undefined), 'the warning', 5000, 20)
    expect(warning!.type).toBe('Warning')
    expect(warning!.source.component).toBe('service-controller')
    expect(warning!.message).toContain(`listen TCP 127.0.0.1:${port}: address already in use (EADDRINUSE)`)
    expect((await getService('busy')).status?.loadBalancer?.ingress).toBeUndefined()
    await new Promise((resolve) => holder.close(resolve))
    await pollUntil(async () => (await getService('busy')).status?.loadBalancer?.ingress?.[0]?.ip === HOST, 'the ingress after the port was freed', 5000, 20)
  })

  it('closes the listeners of a Service that becomes ClusterIP and withdraws its address', async () => {
    const port = await freePort()
    const svc = await createService('shrink', {type: 'LoadBalancer', ports: [{port}]})
    const nodePort = svc.spec!.ports![0]!.nodePort!
    await pollUntil(async () => (await getService('shrink')).status?.loadBalancer?.ingress, 'the ingress', 5000, 20)
    expect(await portIsFree(nodePort)).toBe(false)
    await t.registry.update(SERVICES, 'default', 'shrink', (live) => ({...live!, spec: {...(live!.spec as object), type: 'ClusterIP'}}), {manager: 'test'})
    await pollUntil(async () => (await portIsFree(port)) && (await portIsFree(nodePort)), 'both ports free', 5000, 20)
    await pollUntil(async () => (await getService('shrink')).status?.loadBalancer?.ingress === undefined, 'the ingress withdrawn', 5000, 20)
  })

  it('frees the ports of a deleted Service at once, and every port when stopped', async () => {
    const gone = await createService('gone', {type: 'NodePort', ports: [{port: 80}]})
    const kept = await createService('kept', {type: 'NodePort', ports: [{port: 80}]})
    const [gonePort, keptPort] = [gone.spec!.ports![0]!.nodePort!, kept.spec!.ports![0]!.nodePort!]
    await pollUntil(async () => !(await portIsFree(gonePort)) && !(await portIsFree(keptPort)), 'both listening', 5000, 20)
    await t.registry.delete(SERVICES, 'default', 'gone')
    await pollUntil(() => portIsFree(gonePort), 'the deleted Service port free', 1000, 10)
    expect(await portIsFree(keptPort)).toBe(false)
    await controller.stop()
    expect(await portIsFree(keptPort)).toBe(true)
  })
})
