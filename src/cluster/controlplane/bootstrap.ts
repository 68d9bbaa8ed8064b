// Objects every cluster has from its first start: the four system namespaces and the `kubernetes`
// Service in default. Created only when missing, so a restart writes nothing.
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {kubernetesServiceIP, SIMULATED_ADDRESSING} from '../network/cluster-addressing.js'

const find = resourceOfKind
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']
const MANAGER = 'kcluster-apiserver'

export async function bootstrapObjects(registry: ObjectRegistry, apiPort: number, serviceCIDR = SIMULATED_ADDRESSING.serviceCIDR): Promise<void> {
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
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {name: 'kubernetes', namespace: 'default', labels: {'endpointslice.kubernetes.io/skip-mirror': 'true'}},
    subsets: [{addresses: [{ip: '127.0.0.1'}], ports: [{name: 'https', port: apiPort, protocol: 'TCP'}]}],
  }
  const existing = await registry.tryGet(find('Endpoints'), 'default', 'kubernetes')
  if (!existing) await registry.create(find('Endpoints'), 'default', endpoints as KubeObject, {manager: MANAGER})
  else await registry.update(find('Endpoints'), 'default', 'kubernetes', (live) => ({...live!, subsets: endpoints.subsets}), {manager: MANAGER})
}
