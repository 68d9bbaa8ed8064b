// A real ObjectRegistry over an in-memory SQLite store with the `default` namespace: for unit tests
// of controllers and recorders that need real object semantics without an HTTP server.
import {RESOURCES} from '../../src/cluster/api/resources.js'
import type {ObjectRegistry} from '../../src/cluster/apiserver/registry/object-registry.js'
import type {Clock} from '../../src/cluster/clock.js'
import {createRegistry} from '../../src/cluster/controlplane/create-registry.js'
import {openSqliteStore, type SqliteStore} from '../../src/cluster/store/sqlite-store.js'

export interface TestRegistry {
  store: SqliteStore
  registry: ObjectRegistry
}

export async function openTestRegistry(clock: Clock, serviceCIDR?: string): Promise<TestRegistry> {
  const store = await openSqliteStore(':memory:')
  const registry = createRegistry(store, clock, serviceCIDR)
  const namespaces = RESOURCES.find((r) => r.kind === 'Namespace')!
  await registry.create(namespaces, undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'default'}}, {manager: 'test'})
  return {store, registry}
}
