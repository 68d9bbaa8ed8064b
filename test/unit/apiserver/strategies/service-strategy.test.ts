import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {serviceStrategy} from '../../../../src/cluster/apiserver/strategies/service-strategy.js'
import {clone, fakeContext, messages, object, type FakeContext} from './fixtures.js'

const service = (spec: Record<string, unknown>, name = 'web'): KubeObject => object('Service', 'v1', {metadata: {name}, spec})

async function create(spec: Record<string, unknown>, ctx: FakeContext = fakeContext()): Promise<KubeObject> {
  const s = service(spec)
  serviceStrategy.applyDefaults(s)
  await serviceStrategy.prepareForCreate(s, ctx)
  return s
}

async function update(old: KubeObject, spec: Record<string, unknown>, ctx: FakeContext = fakeContext()): Promise<{next: KubeObject; errors: string[]}> {
  const next = service(spec)
  next.metadata = clone(old.metadata)
  serviceStrategy.applyDefaults(next)
  await serviceStrategy.prepareForUpdate(next, old, ctx)
  return {next, errors: messages(serviceStrategy.validateUpdate(next, old))}
}

describe('service strategy create', () => {
  it('defaults and allocates a minimal ClusterIP service', async () => {
    const ctx = fakeContext()
    const s = await create({selector: {app: 'web'}, ports: [{port: 80}]}, ctx)
    expect(s.spec).toEqual({
      selector: {app: 'web'},
      ports: [{port: 80, protocol: 'TCP', targetPort: 80}],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
    })
    expect(s.status).toEqual({loadBalancer: {}})
    expect(ctx.clusterIPRequests).toEqual([undefined])
    expect(ctx.nodePortRequests).toEqual([])
    expect(serviceStrategy.validate(s)).toEqual([])
  })

  it('asks the allocator for a requested cluster IP', async () => {
    const ctx = fakeContext()
    const s = await create({ports: [{port: 80}], clusterIP: '10.96.0.99'}, ctx)
    expect(ctx.clusterIPRequests).toEqual(['10.96.0.99'])
    expect(s.spec).toMatchObject({clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99']})
  })

  it('allocates no IP for headless and ExternalName services', async () => {
    const ctx = fakeContext()
    const headless = await create({clusterIP: 'None', selector: {app: 'web'}}, ctx)
    const external = await create({type: 'ExternalName', externalName: 'example.com'}, ctx)
    expect(ctx.clusterIPRequests).toEqual([])
    expect(headless.spec).toMatchObject({clusterIP: 'None', clusterIPs: ['None']})
    expect(external.spec).toEqual({type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None'})
    expect(serviceStrategy.validate(headless)).toEqual([])
    expect(serviceStrategy.validate(external)).toEqual([])
  })

  it('allocates node ports for NodePort services, honouring requested ones', async () => {
    const ctx = fakeContext()
    const s = await create({type: 'NodePort', ports: [{name: 'http', port: 80}, {name: 'https', port: 443, nodePort: 31443}]}, ctx)
    expect(ctx.nodePortRequests).toEqual([undefined, 31443])
    expect((s.spec as {ports: unknown}).ports).toEqual([
      {name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30000},
      {name: 'https', port: 443, protocol: 'TCP', targetPort: 443, nodePort: 31443},
    ])
    expect(s.spec).toMatchObject({externalTrafficPolicy: 'Cluster'})
  })

  it('allocates nothing for an invalid service', async () => {
    const ctx = fakeContext()
    await create({type: 'NodePort', ports: [{port: 0}]}, ctx)
    expect(ctx.clusterIPRequests).toEqual([])
    expect(ctx.nodePortRequests).toEqual([])
  })
})

describe('service strategy update', () => {
  it('keeps the allocated cluster IP and node ports when the update omits them', async () => {
    const ctx = fakeContext()
    const old = await create({type: 'NodePort', selector: {app: 'web'}, ports: [{name: 'http', port: 80}]}, ctx)
    const {next, errors} = await update(old, {type: 'NodePort', selector: {app: 'web'}, ports: [{name: 'http', port: 80}, {name: 'metrics', port: 9090}]}, ctx)
    expect(errors).toEqual([])
    expect(next.spec).toMatchObject({clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10']})
    expect((next.spec as {ports: Array<{nodePort: number}>}).ports.map((p) => p.nodePort)).toEqual([30000, 30001])
    // One allocation on create, one for the new port; the kept port and the cluster IP are not re-allocated.
    expect(ctx.nodePortRequests).toEqual([undefined, undefined])
    expect(ctx.clusterIPRequests).toEqual([undefined])
  })

  it('keeps the old status', async () => {
    const old = await create({ports: [{port: 80}]})
    old.status = {loadBalancer: {ingress: [{ip: '1.2.3.4'}]}}
    const {next} = await update(old, {ports: [{port: 80}]})
    expect(next.status).toEqual(old.status)
  })

  it('refuses a cluster IP change', async () => {
    const old = await create({ports: [{port: 80}]})
    const {errors} = await update(old, {ports: [{port: 80}], clusterIP: '10.96.0.77'})
    expect(errors).toEqual(['spec.clusterIPs[0]: Invalid value: ["10.96.0.77"]: may not change once set'])
  })

  it('drops carried-over node ports when switching to ClusterIP', async () => {
    const old = await create({type: 'NodePort', ports: [{port: 80}]})
    const {next, errors} = await update(old, {type: 'ClusterIP', ports: [{port: 80, nodePort: 30000}], externalTrafficPolicy: 'Cluster'})
    expect(errors).toEqual([])
    expect((next.spec as {ports: unknown}).ports).toEqual([{port: 80, protocol: 'TCP', targetPort: 80}])
    expect((next.spec as Record<string, unknown>).externalTrafficPolicy).toBeUndefined()
  })

  it('allocates a cluster IP when switching from ExternalName to ClusterIP', async () => {
    const old = await create({type: 'ExternalName', externalName: 'example.com'})
    const ctx = fakeContext()
    const {next, errors} = await update(old, {type: 'ClusterIP', ports: [{port: 80}]}, ctx)
    expect(errors).toEqual([])
    expect(ctx.clusterIPRequests).toEqual([undefined])
    expect(next.spec).toMatchObject({clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10']})
  })

  it('keeps spec on a status update', async () => {
    const old = await create({ports: [{port: 80}]})
    const next = clone(old)
    next.spec = {type: 'NodePort'}
    next.status = {loadBalancer: {ingress: [{ip: '1.2.3.4'}]}}
    serviceStrategy.prepareForStatusUpdate(next, old)
    expect(next.spec).toEqual(old.spec)
    expect(next.status).toEqual({loadBalancer: {ingress: [{ip: '1.2.3.4'}]}})
  })
})

describe('service strategy validation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['requires ports', {selector: {app: 'web'}}, ['spec.ports: Required value']],
    ['refuses port 0', {ports: [{port: 0, targetPort: 80}]}, ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['requires port names when there are several', {ports: [{port: 80}, {port: 443}]}, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['refuses duplicate port names', {ports: [{name: 'http', port: 80}, {name: 'http', port: 81}]}, ['spec.ports[1].name: Duplicate value: "http"']],
    ['refuses duplicate port/protocol pairs', {ports: [{name: 'a', port: 80}, {name: 'b', port: 80}]}, ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}']],
    ['refuses an unknown type', {type: 'Magic', ports: [{port: 80}]}, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['forbids nodePort on ClusterIP services', {ports: [{port: 80, nodePort: 30080}]}, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['refuses node ports outside 30000-32767', {type: 'NodePort', ports: [{port: 80, nodePort: 8080}]}, [
      'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]],
    ['requires externalName for ExternalName services', {type: 'ExternalName'}, ['spec.externalName: Required value']],
    ['refuses a bad target port name', {ports: [{port: 80, targetPort: 'HTTP'}]}, ['spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)']],
  ])('%s', async (_title, spec, expected) => {
    const s = await create(spec)
    expect(messages(serviceStrategy.validate(s))).toEqual(expected)
  })

  it('requires a DNS-1035 label name', async () => {
    const s = service({ports: [{port: 80}]}, '1web')
    serviceStrategy.applyDefaults(s)
    await serviceStrategy.prepareForCreate(s, fakeContext())
    expect(messages(serviceStrategy.validate(s))).toEqual([
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ])
  })
})
