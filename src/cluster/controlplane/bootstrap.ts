// Objects every cluster has from its first start: the four system namespaces and the `kubernetes`
// Service in default. Created only when missing, so a restart writes nothing.
import {isDeepStrictEqual} from 'node:util'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {kubernetesServiceIP, SIMULATED_ADDRESSING} from '../network/cluster-addressing.js'
import {ensureKclusterIngressClass} from '../network/ingress-controller/ingress-resources.js'

const find = resourceOfKind
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']
const MANAGER = 'kcluster-apiserver'

export interface BootstrapOptions {
  apiPort: number
  /** Where pods reach the API server (the host's address on their network); 127.0.0.1 when they have none. */
  apiAddress?: string
  serviceCIDR?: string
  clusterDnsIP?: string
}

export async function bootstrapObjects(registry: ObjectRegistry, opts: BootstrapOptions): Promise<void> {
  const {apiPort, apiAddress = '127.0.0.1', serviceCIDR = SIMULATED_ADDRESSING.serviceCIDR, clusterDnsIP} = opts
  const kubernetesIP = kubernetesServiceIP(serviceCIDR)
  for (const name of SYSTEM_NAMESPACES) {
    if (await registry.tryGet(find('Namespace'), undefined, name)) continue
    await registry.create(find('Namespace'), undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name}}, {manager: MANAGER})
  }
  if (!(await registry.tryGet(find('Service'), 'default', 'kubernetes'))) {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'kubernetes', namespace: 'default', labels: {component: 'apiserver', provider: 'kubernetes'}},
      spec: {type: 'ClusterIP', clusterIP: kubernetesIP, clusterIPs: [kubernetesIP], ports: [{name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort}]},
    }
    await registry.create(find('Service'), 'default', service, {manager: MANAGER})
  }
  if (clusterDnsIP && !(await registry.tryGet(find('Service'), 'kube-system', 'kube-dns'))) await registry.create(find('Service'), 'kube-system', kubeDnsService(clusterDnsIP), {manager: MANAGER})
  // The API server's own endpoints, as its endpoint reconciler keeps them: both the Endpoints and the
  // EndpointSlice (what kcluster-net forwards by), rewritten at each start since the port may change.
  await upsert(registry, 'Endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {name: 'kubernetes', namespace: 'default', labels: {'endpointslice.kubernetes.io/skip-mirror': 'true'}},
    subsets: [{addresses: [{ip: apiAddress}], ports: [{name: 'https', port: apiPort, protocol: 'TCP'}]}],
  })
  await upsert(registry, 'EndpointSlice', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {name: 'kubernetes', namespace: 'default', labels: {'kubernetes.io/service-name': 'kubernetes'}},
    addressType: 'IPv4',
    endpoints: [{addresses: [apiAddress], conditions: {ready: true}}],
    ports: [{name: 'https', port: apiPort, protocol: 'TCP'}],
  })
  // The built-in Ingress controller's class, the cluster's default (docs/networking.md, "Ingress").
  await ensureKclusterIngressClass(registry, MANAGER)
}

/** Creates the object, or sets everything but its metadata on the stored one; nothing is written when it is already so. */
async function upsert(registry: ObjectRegistry, kind: 'Endpoints' | 'EndpointSlice', wanted: Record<string, unknown> & {metadata: {name: string; namespace: string; labels?: Record<string, string>}}): Promise<void> {
  const {metadata, ...content} = wanted
  const existing = await registry.tryGet(find(kind), metadata.namespace, metadata.name)
  if (!existing) {
    await registry.create(find(kind), metadata.namespace, wanted as unknown as KubeObject, {manager: MANAGER})
    return
  }
  const {metadata: _, ...stored} = existing as KubeObject & Record<string, unknown>
  if (isDeepStrictEqual(stored, content)) return
  await registry.update(find(kind), metadata.namespace, metadata.name, (live) => ({...live!, ...content}), {manager: MANAGER})
}

/**
 * kube-system/kube-dns, the name clients and tools look for, at the address pods' resolv.conf names.
 * It has no selector: kcluster-net answers on its ClusterIP itself (docs/networking.md).
 */
function kubeDnsService(ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'kube-dns', namespace: 'kube-system', labels: {'k8s-app': 'kube-dns', 'kubernetes.io/name': 'kcluster-net'}},
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ports: [
        {name: 'dns', port: 53, protocol: 'UDP', targetPort: 53},
        {name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53},
      ],
    },
  } as KubeObject
}
