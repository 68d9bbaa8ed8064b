// Builders for the Endpoints, EndpointSlice and ServiceAccount controller tests: plain Service and
// Pod objects for the pure planners, and a real ObjectRegistry over an in-memory store (with Service
// IP allocation) for the reconcilers.
import type {Pod, Service, ServicePort} from 'kubernetes-types/core/v1.js'
import {RESOURCES} from '../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {ObjectRegistry} from '../../../src/cluster/apiserver/registry/object-registry.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'
import {openTestRegistry as openBaseRegistry, type TestRegistry as BaseRegistry} from '../../support/test-registry.js'

export const find = (kind: string) => RESOURCES.find((r) => r.kind === kind)!
export const NODE = 'node-a'

export interface PodSpecOptions {
  ip?: string
  ready?: boolean
  node?: string
  phase?: string
  terminating?: boolean
  /** Named container ports: name -> port. */
  ports?: Record<string, number>
  labels?: Record<string, string>
  readySince?: string
}

/** A pod as the planners see it (uid = name). */
export function pod(name: string, o: PodSpecOptions = {}): Pod {
  const ready = o.ready ?? true
  return {
    metadata: {name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? {app: 'web'}, ...(o.terminating ? {deletionTimestamp: '2026-01-01T00:00:00Z'} : {})},
    spec: {
      nodeName: o.node ?? NODE,
      containers: [{name: 'c', ports: Object.entries(o.ports ?? {}).map(([n, p]) => ({name: n, containerPort: p, protocol: 'TCP'}))}],
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip === '' ? {} : {podIP: o.ip ?? '10.244.0.1', podIPs: [{ip: o.ip ?? '10.244.0.1'}]}),
      conditions: [{type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? '2026-01-01T00:00:00Z'}],
    },
  }
}

/** A Service selecting app=web (plain object; uid = svc-uid). */
export function service(ports: ServicePort[] = [{name: 'http', port: 80, targetPort: 8080, protocol: 'TCP'}], extra: Partial<Service['spec']> = {}, labels: Record<string, string> = {}): Service {
  return {
    metadata: {name: 'web', namespace: 'default', uid: 'svc-uid', labels, creationTimestamp: '2025-12-31T00:00:00Z'},
    spec: {selector: {app: 'web'}, clusterIP: '10.96.0.10', ipFamilies: ['IPv4'], ports, ...extra},
  }
}

export interface TestRegistry extends BaseRegistry {
  clock: ManualClock
}

/** A registry with the `default` namespace and the node NODE. */
export async function openTestRegistry(): Promise<TestRegistry> {
  const clock = new ManualClock()
  const {store, registry} = await openBaseRegistry(clock)
  await registry.create(find('Node'), undefined, {apiVersion: 'v1', kind: 'Node', metadata: {name: NODE}}, {manager: 'test'})
  return {store, registry, clock}
}

/** Stores a pod (labels app=web, optional named ports) and gives it an IP and readiness through /status. */
export async function storePod(registry: ObjectRegistry, name: string, o: PodSpecOptions = {}): Promise<KubeObject> {
  const plain = pod(name, o)
  const created = await registry.create(
    find('Pod'),
    'default',
    {apiVersion: 'v1', kind: 'Pod', metadata: {name, labels: plain.metadata!.labels}, spec: {nodeName: plain.spec!.nodeName, containers: [{name: 'c', image: 'nginx', ports: plain.spec!.containers[0].ports}]}},
    {manager: 'test'},
  )
  const {object} = await registry.update(find('Pod'), 'default', name, (live) => ({...live!, status: plain.status}) as KubeObject, {manager: 'test', subresource: 'status'})
  return object ?? created
}

export async function storeService(registry: ObjectRegistry, name = 'web', spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): Promise<KubeObject> {
  return registry.create(
    find('Service'),
    'default',
    {apiVersion: 'v1', kind: 'Service', metadata: {name, labels}, spec: {selector: {app: 'web'}, ports: [{name: 'http', port: 80, targetPort: 'http'}], ...spec}},
    {manager: 'test'},
  )
}
