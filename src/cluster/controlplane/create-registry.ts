// The ObjectRegistry with the kind strategies and the Service address allocator: the one way a
// registry is put together, for the control plane and for tests.
import {resourceOfKind} from '../api/resources.js'
import type {IngressClass} from 'kubernetes-types/networking/v1.js'
import {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {strategyFor} from '../apiserver/strategies/index.js'
import {defaultIngressClass} from '../network/ingress/ingress-class.js'
import type {Clock} from '../clock.js'
import type {Store} from '../store/store.js'
import {ServiceAllocator} from './service-allocator.js'

export function createRegistry(store: Store, clock: Clock, serviceCIDR?: string): ObjectRegistry {
  // The allocator reads Services through the registry it serves.
  let registry: ObjectRegistry | undefined
  const allocator = new ServiceAllocator(() => registry!, serviceCIDR)
  registry = new ObjectRegistry(store, strategyFor, clock, {
    clock,
    allocateClusterIP: (ip) => allocator.allocateClusterIP(ip),
    allocateNodePort: (port) => allocator.allocateNodePort(port),
    serviceAccount: (namespace, name) => registry!.tryGet(resourceOfKind('ServiceAccount'), namespace, name),
    defaultIngressClass: async () => defaultIngressClass((await registry!.list(resourceOfKind('IngressClass'))).items as IngressClass[]),
  })
  return registry
}

