import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {InformerCache} from '../../../../src/cluster/controllers/informers/informer-cache.js'
import {CONTROLLER_UID_INDEX, NAMESPACE_INDEX, NODE_NAME_INDEX, ORPHANS_BY_NAMESPACE_INDEX, controllerUidIndex, namespaceIndex, nodeNameIndex, orphansByNamespaceIndex} from '../../../../src/cluster/controllers/informers/indexers.js'

function pod(namespace: string, name: string, opts: {owner?: string; node?: string; rv?: string} = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {namespace, name, resourceVersion: opts.rv ?? '1', ...(opts.owner ? {ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: opts.owner, controller: true}]} : {})},
    spec: opts.node ? {nodeName: opts.node} : {},
  }
}

function cache(): InformerCache {
  const c = new InformerCache()
  c.addIndexer(NAMESPACE_INDEX, namespaceIndex)
  c.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex)
  c.addIndexer(NODE_NAME_INDEX, nodeNameIndex)
  c.addIndexer(ORPHANS_BY_NAMESPACE_INDEX, orphansByNamespaceIndex)
  return c
}

const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort()

describe('InformerCache', () => {
  it('finds objects by namespace, controller uid, node name and orphan-ness', () => {
    const c = cache()
    c.upsert(pod('a', 'p1', {owner: 'u1', node: 'n1'}))
    c.upsert(pod('a', 'p2', {owner: 'u2'}))
    c.upsert(pod('a', 'p3'))
    c.upsert(pod('b', 'p4', {node: 'n1'}))
    expect(names(c.byIndex(NAMESPACE_INDEX, 'a'))).toEqual(['p1', 'p2', 'p3'])
    expect(names(c.byIndex(CONTROLLER_UID_INDEX, 'u1'))).toEqual(['p1'])
    expect(names(c.byIndex(NODE_NAME_INDEX, 'n1'))).toEqual(['p1', 'p4'])
    expect(names(c.byIndex(ORPHANS_BY_NAMESPACE_INDEX, 'a'))).toEqual(['p3'])
    expect(c.byIndex(CONTROLLER_UID_INDEX, 'nobody')).toEqual([])
    expect(c.get('a', 'p2')?.metadata.name).toBe('p2')
  })

  it('moves an object between index values when it changes, and drops it from every index when removed', () => {
    const c = cache()
    c.upsert(pod('a', 'p1'))
    const old = c.upsert(pod('a', 'p1', {owner: 'u1', node: 'n2', rv: '2'}))
    expect(old?.metadata.resourceVersion).toBe('1')
    expect(c.byIndex(ORPHANS_BY_NAMESPACE_INDEX, 'a')).toEqual([])
    expect(names(c.byIndex(CONTROLLER_UID_INDEX, 'u1'))).toEqual(['p1'])
    expect(c.remove('a/p1')?.metadata.resourceVersion).toBe('2')
    expect(c.byIndex(CONTROLLER_UID_INDEX, 'u1')).toEqual([])
    expect(c.byIndex(NODE_NAME_INDEX, 'n2')).toEqual([])
    expect(c.size).toBe(0)
    expect(c.remove('a/p1')).toBeUndefined()
  })

  it('indexes objects already cached when an index is added later', () => {
    const c = new InformerCache()
    c.upsert(pod('a', 'p1', {node: 'n1'}))
    c.addIndexer(NODE_NAME_INDEX, nodeNameIndex)
    c.addIndexer(NODE_NAME_INDEX, nodeNameIndex)
    expect(names(c.byIndex(NODE_NAME_INDEX, 'n1'))).toEqual(['p1'])
    expect(() => c.addIndexer(NODE_NAME_INDEX, () => [])).toThrow(/already exists/)
    expect(() => c.byIndex('missing', 'x')).toThrow(/no index missing/)
  })

  it('replace reports added, updated and vanished objects and keeps only the new set', () => {
    const c = cache()
    c.upsert(pod('a', 'keep'))
    c.upsert(pod('a', 'gone', {owner: 'u1'}))
    const result = c.replace([pod('a', 'keep', {rv: '5'}), pod('a', 'new')])
    expect(names(result.added)).toEqual(['new'])
    expect(result.updated.map(([o, n]) => [o.metadata.resourceVersion, n.metadata.resourceVersion])).toEqual([['1', '5']])
    expect(names(result.deleted)).toEqual(['gone'])
    expect(names(c.list())).toEqual(['keep', 'new'])
    expect(c.byIndex(CONTROLLER_UID_INDEX, 'u1')).toEqual([])
  })

  it('deep-freezes cached objects when asked, so a reader that mutates one fails loudly', () => {
    const c = new InformerCache({freeze: true})
    c.upsert(pod('a', 'p1'))
    const cached = c.get('a', 'p1')!
    expect(() => {
      cached.metadata.labels = {x: 'y'}
    }).toThrow(TypeError)
  })
})
