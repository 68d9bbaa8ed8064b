// A real ObjectRegistry over an in-memory SQLite store, with the `default` namespace, for event tests.
import {RESOURCES} from '../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import type {Clock} from '../../../src/cluster/clock.js'
import {openTestRegistry as openBaseRegistry, type TestRegistry as BaseRegistry} from '../../support/test-registry.js'

export const EVENTS = RESOURCES.find((r) => r.kind === 'Event')!
export const PODS = RESOURCES.find((r) => r.kind === 'Pod')!

export interface TestRegistry extends BaseRegistry {
  events(): Promise<any[]>
  createPod(name: string): Promise<KubeObject>
}

export async function openTestRegistry(clock: Clock): Promise<TestRegistry> {
  const {store, registry} = await openBaseRegistry(clock)
  return {
    store,
    registry,
    async events() {
      const {items} = await registry.list(EVENTS, 'default')
      return items.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
    },
    createPod(name: string) {
      const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}
      return registry.create(PODS, 'default', pod, {manager: 'test'})
    },
  }
}
