import {describe, expect, it} from 'vitest'
import type {Node, Pod, Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {planEndpointSlices, type SlicePlan} from '../../../src/cluster/controllers/endpointslice-plan.js'
import {NODE, pod, service} from './endpoints-fixtures.js'

const nodes = new Map<string, Node>([[NODE, {metadata: {name: NODE, labels: {'topology.kubernetes.io/zone': 'z1'}}}]])

function plan(svc: Service, pods: Pod[], existing: EndpointSlice[] = [], max?: number): SlicePlan {
  return planEndpointSlices({service: svc, pods, existing, nodes, triggerTime: '2026-01-01T00:00:00Z', maxEndpointsPerSlice: max})
}

/** What the API server would hold after applying a plan to `existing` (names s0, s1, ... for creates). */
function apply(existing: EndpointSlice[], p: SlicePlan): EndpointSlice[] {
  const byName = new Map(existing.map((s) => [s.metadata!.name!, s]))
  for (const s of p.delete) byName.delete(s.metadata!.name!)
  for (const s of p.update) byName.set(s.metadata!.name!, s)
  let n = byName.size
  for (const s of p.create) {
    const name = `web-s${n++}`
    byName.set(name, {...s, metadata: {...s.metadata, name, uid: `uid-${name}`}})
  }
  return [...byName.values()]
}

const ips = (s: EndpointSlice) => (s.endpoints ?? []).map((e) => e.addresses[0]).sort()

describe('EndpointSlice planning', () => {
  it('creates one slice owned by the Service with labels, ports and endpoint conditions', () => {
    const p = plan(service(), [pod('a', {ip: '10.244.0.2'}), pod('b', {ip: '10.244.0.3', ready: false}), pod('c', {ip: '10.244.0.4', terminating: true})])
    expect(p.update).toEqual([])
    expect(p.delete).toEqual([])
    expect(p.create).toHaveLength(1)
    const slice = p.create[0]
    expect(slice.metadata).toMatchObject({
      generateName: 'web-',
      namespace: 'default',
      labels: {'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io'},
      annotations: {'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z'},
      ownerReferences: [{apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true}],
    })
    expect(slice.addressType).toBe('IPv4')
    expect(slice.ports).toEqual([{name: 'http', port: 8080, protocol: 'TCP'}])
    const byName = Object.fromEntries(slice.endpoints.map((e) => [e.targetRef!.name, e]))
    expect(byName.a).toEqual({
      addresses: ['10.244.0.2'],
      conditions: {ready: true, serving: true, terminating: false},
      nodeName: NODE,
      zone: 'z1',
      targetRef: {kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a'},
    })
    expect(byName.b.conditions).toEqual({ready: false, serving: false, terminating: false})
    // A terminating pod is listed (so proxies can drain it) but never ready.
    expect(byName.c.conditions).toEqual({ready: false, serving: true, terminating: true})
  })

  it('names an unnamed service port "" and mirrors the Service labels, adding the headless label without a cluster IP', () => {
    const svc = service([{port: 80, targetPort: 8080, protocol: 'TCP'}], {clusterIP: 'None'}, {team: 'x'})
    const slice = plan(svc, [pod('a')]).create[0]
    expect(slice.ports).toEqual([{name: '', port: 8080, protocol: 'TCP'}])
    expect(slice.metadata!.labels).toEqual({
      team: 'x',
      'service.kubernetes.io/headless': '',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
  })

  it('puts pods with different resolved ports in different slices', () => {
    const svc = service([{name: 'http', port: 80, targetPort: 'web', protocol: 'TCP'}])
    const p = plan(svc, [pod('a', {ip: '10.244.0.2', ports: {web: 8080}}), pod('b', {ip: '10.244.0.3', ports: {web: 3000}}), pod('c', {ip: '10.244.0.4', ports: {web: 8080}})])
    const byPort = Object.fromEntries(p.create.map((s) => [s.ports![0].port, ips(s)]))
    expect(byPort).toEqual({8080: ['10.244.0.2', '10.244.0.4'], 3000: ['10.244.0.3']})
  })

  it('keeps a single empty placeholder slice for a Service without endpoints, and does not churn it', () => {
    const first = plan(service(), [])
    expect(first.create).toHaveLength(1)
    expect(first.create[0].endpoints).toEqual([])
    expect(first.create[0].ports).toEqual([])
    const stored = apply([], first)
    const again = plan(service(), [], stored)
    expect(again).toMatchObject({create: [], update: [], delete: []})
  })

  it('changes nothing when the pods are as the slices say', () => {
    const pods = [pod('a', {ip: '10.244.0.2'}), pod('b', {ip: '10.244.0.3'})]
    const stored = apply([], plan(service(), pods))
    expect(plan(service(), pods, stored)).toMatchObject({create: [], update: [], delete: []})
  })

  it('updates the endpoint in place when a pod stops being ready', () => {
    const stored = apply([], plan(service(), [pod('a', {ip: '10.244.0.2'})]))
    const p = plan(service(), [pod('a', {ip: '10.244.0.2', ready: false})], stored)
    expect(p.create).toEqual([])
    expect(p.update).toHaveLength(1)
    expect(p.update[0].metadata!.name).toBe(stored[0].metadata!.name)
    expect(p.update[0].endpoints[0].conditions).toEqual({ready: false, serving: false, terminating: false})
  })

  it('turns the last endpoint’s removal into the placeholder by reusing the slice', () => {
    const stored = apply([], plan(service(), [pod('a', {ip: '10.244.0.2'})]))
    const p = plan(service(), [], stored)
    expect(p.create).toEqual([])
    expect(p.delete).toEqual([])
    expect(p.update).toHaveLength(1)
    expect(p.update[0].metadata!.name).toBe(stored[0].metadata!.name)
    expect(p.update[0].endpoints).toEqual([])
    expect(p.update[0].ports).toEqual([])
  })

  it('splits more than maxEndpointsPerSlice endpoints over several slices and fills gaps without new slices', () => {
    const many = Array.from({length: 250}, (_, i) => pod(`p${i}`, {ip: `10.244.${Math.floor(i / 200)}.${(i % 200) + 1}`}))
    const first = plan(service(), many)
    expect(first.create.map((s) => s.endpoints.length).sort()).toEqual([100, 100, 50])
    const stored = apply([], first)
    const fewer = many.slice(0, 249)
    const p = plan(service(), [...fewer, pod('new', {ip: '10.244.9.9'})], stored)
    expect(p.create).toEqual([])
    expect(p.delete).toEqual([])
    expect(p.update).toHaveLength(1)
    expect(apply(stored, p).reduce((n, s) => n + s.endpoints.length, 0)).toBe(250)
  })

  it('deletes slices of an older Service of the same name (another uid)', () => {
    const old = apply([], plan({...service(), metadata: {...service().metadata, uid: 'old-uid'}}, [pod('a')]))
    const p = plan(service(), [pod('a')], old)
    expect(p.delete.map((s) => s.metadata!.name)).toEqual([old[0].metadata!.name])
    expect(p.create).toHaveLength(1)
    expect(p.create[0].metadata!.ownerReferences![0].uid).toBe('svc-uid')
  })

  it('leaves out pods whose node does not exist and reports them', () => {
    const p = plan(service(), [pod('a', {ip: '10.244.0.2'}), pod('lost', {ip: '10.244.0.3', node: 'nowhere'})])
    expect(p.skippedPods).toEqual(['default/lost'])
    expect(ips(p.create[0])).toEqual(['10.244.0.2'])
  })

  it('creates nothing for a Service being deleted', () => {
    const svc = service()
    const deleting: Service = {...svc, metadata: {...svc.metadata, deletionTimestamp: '2026-01-01T00:00:00Z'}}
    expect(plan(deleting, [pod('a')]).create).toEqual([])
  })

  it('deletes slices of an address type the Service no longer has', () => {
    const stored = apply([], plan(service(), [pod('a')]))
    const v6 = service(undefined, {ipFamilies: ['IPv6'], clusterIP: 'fd00::10'})
    const p = plan(v6, [pod('a')], stored)
    expect(p.delete.map((s) => s.addressType)).toEqual(['IPv4'])
    expect(p.create.map((s) => s.addressType)).toEqual(['IPv6'])
  })
})
