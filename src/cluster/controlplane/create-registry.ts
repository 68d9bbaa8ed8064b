// The ObjectRegistry with the kind strategies and the Service address allocator: the one way a
// registry is put together, for the control plane and for tests.
import {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {strategyFor} from '../apiserver/strategies/index.js'
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
  })
  return registry
}
