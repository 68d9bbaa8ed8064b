import {describe, expect, it} from 'vitest'
import {resourceOfKind} from '../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import {systemClock} from '../../../src/cluster/clock.js'
import {bootstrapObjects} from '../../../src/cluster/controlplane/bootstrap.js'
import {openTestRegistry} from '../../support/test-registry.js'

const SERVICES = resourceOfKind('Service')
const service = (name: string, clusterIP?: string): KubeObject => ({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'default'}, spec: {ports: [{port: 80}], ...(clusterIP && {clusterIP})}}) as KubeObject

describe('Service ClusterIP allocation from the cluster Service range', () => {
  it('puts the kubernetes Service at the first address and allocates others above the fixed addresses', async () => {
    const {registry, store} = await openTestRegistry(systemClock, '10.200.128.0/17')
    await bootstrapObjects(registry, {apiPort: 6443, serviceCIDR: '10.200.128.0/17'})
    const kubernetes = await registry.get(SERVICES, 'default', 'kubernetes')
    expect((kubernetes.spec as {clusterIP: string}).clusterIP).toBe('10.200.128.1')
    const web = await registry.create(SERVICES, 'default', service('web'), {manager: 'test'})
    expect((web.spec as {clusterIP: string}).clusterIP).toBe('10.200.128.16')
    const dns = await registry.create(SERVICES, 'default', service('dns', '10.200.128.10'), {manager: 'test'})
    expect((dns.spec as {clusterIP: string}).clusterIP).toBe('10.200.128.10')
    await store.close()
  })

  it('refuses a requested address outside the range, the range boundaries, or one already used, naming the range', async () => {
    const {registry, store} = await openTestRegistry(systemClock, '10.200.128.0/17')
    await expect(registry.create(SERVICES, 'default', service('a', '10.96.0.20'), {manager: 'test'})).rejects.toMatchObject({
      code: 422,
      message: expect.stringContaining('The range of valid IPs is 10.200.128.0/17'),
    })
    await expect(registry.create(SERVICES, 'default', service('b', '10.200.255.255'), {manager: 'test'})).rejects.toMatchObject({code: 422})
    await registry.create(SERVICES, 'default', service('c', '10.200.130.7'), {manager: 'test'})
    await expect(registry.create(SERVICES, 'default', service('d', '10.200.130.7'), {manager: 'test'})).rejects.toMatchObject({message: expect.stringContaining('provided IP is already allocated')})
    await store.close()
  })

  it('keeps 10.96.0.0/16 by default', async () => {
    const {registry, store} = await openTestRegistry(systemClock)
    await bootstrapObjects(registry, {apiPort: 6443})
    expect(((await registry.get(SERVICES, 'default', 'kubernetes')).spec as {clusterIP: string}).clusterIP).toBe('10.96.0.1')
    expect(((await registry.create(SERVICES, 'default', service('web'), {manager: 'test'})).spec as {clusterIP: string}).clusterIP).toBe('10.96.0.16')
    await store.close()
  })
})
