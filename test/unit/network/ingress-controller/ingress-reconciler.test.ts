import {beforeAll, describe, expect, it} from 'vitest'
import type {ResourceType} from '../../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {InformerCache} from '../../../../src/cluster/controllers/informers/informer-cache.js'
import type {SharedInformer} from '../../../../src/cluster/controllers/informers/shared-informer.js'
import type {Mutation} from '../../../../src/cluster/apiserver/registry/object-registry.js'
import {createSelfSignedCertificate, type PemPair} from '../../../../src/cluster/network/ingress/ingress-tls.js'
import {SLICES_BY_SERVICE_INDEX, slicesByServiceIndex} from '../../../../src/cluster/network/ingress-controller/ingress-backends.js'
import {IngressReconciler, ROUTES_KEY} from '../../../../src/cluster/network/ingress-controller/ingress-reconciler.js'
import type {IngressAddress} from '../../../../src/cluster/network/ingress-controller/ingress-status.js'
import {ingress, ingressClass, rule} from '../ingress/ingress-fixtures.js'

const INGRESS = {group: 'networking.k8s.io', kind: 'Ingress'} as ResourceType
const ADDRESS: IngressAddress = {ip: '127.0.0.1', httpPort: 8080, httpsPort: 8443}

function informer(...objects: KubeObject[]): SharedInformer {
  const cache = new InformerCache()
  for (const o of objects) cache.upsert(o)
  return {cache} as unknown as SharedInformer
}

function obj<T>(o: T, uid: string): KubeObject {
  const k = o as unknown as KubeObject
  return {...k, metadata: {...k.metadata, uid, generation: 1, resourceVersion: '1'}}
}

/** A cluster in informer caches; status writes go back into the Ingress cache, as the watch would bring them. */
function world(objects: {ingresses: KubeObject[]; secrets?: KubeObject[]; services?: KubeObject[]; slices?: KubeObject[]}, address: IngressAddress | null = ADDRESS) {
  const caches = {
    ingresses: informer(...objects.ingresses),
    ingressClasses: informer(ingressClass('kcluster', true) as unknown as KubeObject),
    secrets: informer(...(objects.secrets ?? [])),
    services: informer(...(objects.services ?? [])),
    slices: informer(...(objects.slices ?? [])),
  }
  caches.slices.cache.addIndexer(SLICES_BY_SERVICE_INDEX, slicesByServiceIndex)
  const writes: Array<{name: string; status: unknown}> = []
  const events: string[] = []
  const registry = {
    async update(_r: ResourceType, namespace: string | undefined, name: string, mutate: Mutation) {
      const next = await mutate(structuredClone(caches.ingresses.cache.get(namespace, name)))
      caches.ingresses.cache.upsert(next)
      writes.push({name, status: next.status})
      return {object: next, created: false}
    },
  }
  const recorder = {event: (o: KubeObject, type: string, reason: string, message: string) => void events.push(`${o.metadata.name} ${type} ${reason}: ${message}`)}
  const reconciler = new IngressReconciler({registry, ingressResource: INGRESS, caches, recorder, address: async () => address ?? undefined})
  return {reconciler, writes, events, caches}
}

describe('IngressReconciler', () => {
  let site: PemPair

  beforeAll(async () => {
    site = await createSelfSignedCertificate({commonName: 'a.test', hosts: ['a.test']})
  })

  it('serves the routes and certificates of its class and writes the address to those Ingresses only', async () => {
    const tlsSecret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'a-tls', namespace: 'default', uid: 's1'}, type: 'kubernetes.io/tls',
      data: {'tls.crt': Buffer.from(site.cert).toString('base64'), 'tls.key': Buffer.from(site.key).toString('base64')}} as KubeObject
    const mine = obj(ingress({name: 'mine', rules: [rule('a.test', {path: '/', service: 'web'})], tls: [{hosts: ['a.test'], secretName: 'a-tls'}]}), 'u1')
    const other = obj(ingress({name: 'other', className: 'nginx', rules: [rule('b.test', {path: '/', service: 'web'})]}), 'u2')
    const {reconciler, writes, events} = world({ingresses: [mine, other], secrets: [tlsSecret]})
    await reconciler.reconcile(ROUTES_KEY)

    expect([...reconciler.routes().exact.keys()]).toEqual(['a.test'])
    expect(reconciler.tls()).toEqual([{hosts: ['a.test'], cert: site.cert, key: site.key}])
    expect(writes).toEqual([{name: 'mine', status: {loadBalancer: {ingress: [{ip: '127.0.0.1', ports: [{port: 8080, protocol: 'TCP'}, {port: 8443, protocol: 'TCP'}]}]}}}])
    expect(events).toEqual(['mine Normal Sync: Scheduled for sync'])
  })

  it('writes nothing and reports nothing again when nothing changed', async () => {
    const mine = obj(ingress({name: 'mine', rules: [rule('a.test', {path: '/', service: 'web'})], tls: [{secretName: 'gone'}]}), 'u1')
    const {reconciler, writes, events} = world({ingresses: [mine]})
    await reconciler.reconcile(ROUTES_KEY)
    await reconciler.reconcile(ROUTES_KEY)
    expect(writes).toHaveLength(1)
    expect(events).toEqual([
      'mine Normal Sync: Scheduled for sync',
      'mine Warning MissingTLSSecret: secret default/gone not found; serving the default certificate for every host',
    ])
  })

  it('clears its address from an Ingress moved to another class', async () => {
    const mine = obj(ingress({name: 'mine', rules: [rule('a.test', {path: '/', service: 'web'})]}), 'u1')
    const {reconciler, writes, caches} = world({ingresses: [mine]}, {ip: '127.0.0.1', httpPort: 80, httpsPort: 443})
    await reconciler.reconcile(ROUTES_KEY)
    const moved = structuredClone(caches.ingresses.cache.get('default', 'mine')!)
    ;(moved.spec as {ingressClassName: string}).ingressClassName = 'nginx'
    caches.ingresses.cache.upsert(moved)
    await reconciler.reconcile(ROUTES_KEY)
    expect(writes.map((w) => w.status)).toEqual([{loadBalancer: {ingress: [{ip: '127.0.0.1'}]}}, {loadBalancer: {}}])
    expect(reconciler.routes().exact.size).toBe(0)
  })

  it('writes no status while the listeners have no address', async () => {
    const mine = obj(ingress({name: 'mine', rules: [rule('a.test', {path: '/', service: 'web'})]}), 'u1')
    const {reconciler, writes} = world({ingresses: [mine]}, null)
    await reconciler.reconcile(ROUTES_KEY)
    expect(writes).toEqual([])
    expect(reconciler.routes().exact.size).toBe(1)
  })

  it('resolves a backend from the Service and EndpointSlice caches at the time of the request', async () => {
    const service = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'web', namespace: 'default'}, spec: {ports: [{name: 'http', port: 80, targetPort: 8080}]}} as KubeObject
    const slice = {apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: {name: 'web-x', namespace: 'default', labels: {'kubernetes.io/service-name': 'web'}},
      addressType: 'IPv4', ports: [{name: 'http', port: 8080, protocol: 'TCP'}], endpoints: [{addresses: ['10.200.0.9'], conditions: {ready: true}}]} as unknown as KubeObject
    const {reconciler, caches} = world({ingresses: [], services: [service]})
    const backend = {namespace: 'default', service: 'web', port: 80}
    expect(reconciler.resolve(backend)).toEqual([])
    caches.slices.cache.upsert(slice)
    expect(reconciler.resolve(backend)).toEqual([{ip: '10.200.0.9', port: 8080}])
  })
})
