import type {IngressClass} from 'kubernetes-types/networking/v1.js'
import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {ingressStrategy} from '../../../../src/cluster/apiserver/strategies/networking-strategies.js'
import type {StrategyContext} from '../../../../src/cluster/apiserver/strategies/strategy.js'
import {systemClock} from '../../../../src/cluster/clock.js'
import {defaultIngressClass} from '../../../../src/cluster/network/ingress/ingress-class.js'

const ingressClass = (name: string, created: string, isDefault: boolean): IngressClass => ({
  metadata: {name, creationTimestamp: created, ...(isDefault && {annotations: {'ingressclass.kubernetes.io/is-default-class': 'true'}})},
  spec: {controller: `example.com/${name}`},
})

const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {name: 'web', namespace: 'default', ...(annotations && {annotations})},
  spec: {defaultBackend: {service: {name: 'web', port: {number: 80}}}, ...spec},
})

const context = (defaultClass?: string): StrategyContext => ({
  clock: systemClock,
  allocateClusterIP: async () => '10.96.0.20',
  allocateNodePort: async () => 30000,
  defaultIngressClass: async () => defaultClass,
})

describe('the default IngressClass', () => {
  it('is the newest class marked default, and none when no class is marked', () => {
    const classes = [ingressClass('old', '2026-01-01T00:00:00Z', true), ingressClass('new', '2026-02-01T00:00:00Z', true), ingressClass('plain', '2026-03-01T00:00:00Z', false)]
    expect(defaultIngressClass(classes)).toBe('new')
    expect(defaultIngressClass([classes[2]!])).toBeUndefined()
  })

  it('is given to an Ingress created without a class, and not to one naming a class by field or annotation', async () => {
    const bare = ingress({})
    await ingressStrategy.prepareForCreate(bare, context('kcluster'))
    expect(bare.spec).toMatchObject({ingressClassName: 'kcluster'})
    const named = ingress({ingressClassName: 'nginx'})
    await ingressStrategy.prepareForCreate(named, context('kcluster'))
    expect(named.spec).toMatchObject({ingressClassName: 'nginx'})
    const annotated = ingress({}, {'kubernetes.io/ingress.class': 'nginx'})
    await ingressStrategy.prepareForCreate(annotated, context('kcluster'))
    expect(annotated.spec).not.toHaveProperty('ingressClassName')
    const noDefault = ingress({})
    await ingressStrategy.prepareForCreate(noDefault, context(undefined))
    expect(noDefault.spec).not.toHaveProperty('ingressClassName')
  })
})
