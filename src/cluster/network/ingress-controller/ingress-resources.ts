// The kinds the ingress controller reads, and its IngressClass. Looked up without throwing: a build
// whose API server does not serve networking.k8s.io/v1 Ingress yet must still start, with the
// controller idle and `kcluster status` saying why.
import {RESOURCES, type ResourceType} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import {DEFAULT_CLASS_ANNOTATION, KCLUSTER_INGRESS_CLASS} from '../ingress/ingress-class.js'

export interface IngressResources {
  ingress: ResourceType
  ingressClass: ResourceType
  secret: ResourceType
  service: ResourceType
  endpointSlice: ResourceType
}

/** The IngressClass `spec.controller` of kcluster's built-in controller. */
export const KCLUSTER_INGRESS_CONTROLLER = 'kcluster.dev/ingress'
export const NETWORKING_GROUP = 'networking.k8s.io'

/** The resources, or undefined when Ingress or IngressClass is not in the resource table. */
export function ingressResources(resources: readonly ResourceType[] = RESOURCES): IngressResources | undefined {
  const find = (group: string, kind: string) => resources.find((r) => r.group === group && r.kind === kind)
  const ingress = find(NETWORKING_GROUP, 'Ingress')
  const ingressClass = find(NETWORKING_GROUP, 'IngressClass')
  const secret = find('', 'Secret')
  const service = find('', 'Service')
  const endpointSlice = find('discovery.k8s.io', 'EndpointSlice')
  if (!ingress || !ingressClass || !secret || !service || !endpointSlice) return undefined
  return {ingress, ingressClass, secret, service, endpointSlice}
}

/** IngressClass `kcluster`, the cluster's default class. */
export function kclusterIngressClass(): KubeObject {
  return {
    apiVersion: `${NETWORKING_GROUP}/v1`,
    kind: 'IngressClass',
    metadata: {
      name: KCLUSTER_INGRESS_CLASS,
      annotations: {[DEFAULT_CLASS_ANNOTATION]: 'true'},
      labels: {'app.kubernetes.io/managed-by': 'kcluster'},
    },
    spec: {controller: KCLUSTER_INGRESS_CONTROLLER},
  }
}

/**
 * Create IngressClass `kcluster` when it is missing (a user's later edits, such as dropping the default
 * annotation, are kept). Does nothing when IngressClass is not served.
 */
export async function ensureKclusterIngressClass(registry: Pick<ObjectRegistry, 'tryGet' | 'create'>, manager: string): Promise<void> {
  const resource = ingressResources()?.ingressClass
  if (!resource) return
  if (await registry.tryGet(resource, undefined, KCLUSTER_INGRESS_CLASS)) return
  try {
    await registry.create(resource, undefined, kclusterIngressClass(), {manager})
  } catch (error) {
    // Two starts racing on one store: the other one made it.
    if ((error as {reason?: string}).reason !== 'AlreadyExists') throw error
  }
}
