// A write that loses a compare-and-swap race to another writer (a controller updating status, say).
import {describe, expect, it} from 'vitest'
import {resourceOfKind} from '../../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {ManualClock} from '../../../../src/cluster/manual-clock.js'
import {openTestRegistry} from '../../../support/test-registry.js'

const CONFIGMAPS = resourceOfKind('ConfigMap')

async function setup() {
  const {registry} = await openTestRegistry(new ManualClock())
  const created = await registry.create(CONFIGMAPS, 'default', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {a: '1'}}, {manager: 'test'})
  const racer = () => registry.update(CONFIGMAPS, 'default', 'c', (live) => ({...live!, data: {...(live!.data as object), b: '2'}}), {manager: 'racer'})
  return {registry, created, racer}
}

describe('ObjectRegistry.update under a concurrent writer', () => {
  it('re-applies a patch-like mutation on the fresh object instead of failing', async () => {
    const {registry, racer} = await setup()
    let calls = 0
    const result = await registry.update(
      CONFIGMAPS,
      'default',
      'c',
      async (live) => {
        // The first time, another writer commits between our read and our write.
        if (calls++ === 0) await racer()
        return {...live!, metadata: {...live!.metadata, labels: {x: 'y'}}}
      },
      {manager: 'patcher'},
    )
    expect(calls).toBe(2)
    expect(result.object.metadata.labels).toEqual({x: 'y'})
    expect(result.object.data).toEqual({a: '1', b: '2'})
  })

  it('fails a PUT that named the resourceVersion it read with 409 Conflict', async () => {
    const {registry, created, racer} = await setup()
    const body: KubeObject = {...created, data: {a: 'changed'}}
    let raced = false
    await expect(
      registry.update(
        CONFIGMAPS,
        'default',
        'c',
        async () => {
          if (!raced) {
            raced = true
            await racer()
          }
          return structuredClone(body)
        },
        {manager: 'putter'},
      ),
    ).rejects.toMatchObject({code: 409, reason: 'Conflict'})
  })
})
