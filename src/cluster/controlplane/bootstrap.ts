// Objects every cluster has from its first start: the four system namespaces and the `kubernetes`
// Service in default. Created only when missing, so a restart writes nothing.
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {kubernetesServiceIP, SIMULATED_ADDRESSING} from '../network/cluster-addressing.js'
import {ensureKclusterIngressClass} from '../network/ingress-controller/ingress-resources.js'

const find = resourceOfKind
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']
const MANAGER = 'kcluster-apiserver'

export async function bootstrapObjects(registry: ObjectRegistry, apiPort: number, serviceCIDR = SIMULATED_ADDRESSING.serviceCIDR, clusterDnsIP?: string): Promise<void> {
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
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {name: 'kubernetes', namespace: 'default', labels: {'endpointslice.kubernetes.io/skip-mirror': 'true'}},
    subsets: [{addresses: [{ip: '127.0.0.1'}], ports: [{name: 'https', port: apiPort, protocol: 'TCP'}]}],
  }
  const existing = await registry.tryGet(find('Endpoints'), 'default', 'kubernetes')
  if (!existing) await registry.create(find('Endpoints'), 'default', endpoints as KubeObject, {manager: MANAGER})
  else await registry.update(find('Endpoints'), 'default', 'kubernetes', (live) => ({...live!, subsets: endpoints.subsets}), {manager: MANAGER})
  // The built-in Ingress controller's class, the cluster's default (docs/networking.md, "Ingress").
  await ensureKclusterIngressClass(registry, MANAGER)
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
