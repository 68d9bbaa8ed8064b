import {describe, expect, it} from 'vitest'
import {claimsIngress, requestedClass} from '../../../../src/cluster/network/ingress/ingress-class.js'
import {buildRouteTable} from '../../../../src/cluster/network/ingress/ingress-routes.js'
import {matchRoute} from '../../../../src/cluster/network/ingress/route-match.js'
import {ingress, ingressClass, rule, tableOf} from './ingress-fixtures.js'

describe('which Ingresses the kcluster class serves', () => {
  const byField = ingress({name: 'field', className: 'kcluster'})
  const otherField = ingress({name: 'other', className: 'nginx'})
  const byAnnotation = ingress({name: 'annotated', className: null, annotations: {'kubernetes.io/ingress.class': 'kcluster'}})
  const otherAnnotation = ingress({name: 'nginx-annotated', className: null, annotations: {'kubernetes.io/ingress.class': 'nginx'}})
  const classless = ingress({name: 'classless', className: null})

  it('serves Ingresses naming kcluster in spec.ingressClassName or the deprecated annotation', () => {
    for (const rule of ['annotation', 'always', 'never'] as const) {
      const sel = {defaultClass: rule}
      expect(claimsIngress(byField, [], sel)).toBe(true)
      expect(claimsIngress(byAnnotation, [], sel)).toBe(true)
      expect(claimsIngress(otherField, [], sel)).toBe(false)
      expect(claimsIngress(otherAnnotation, [], sel)).toBe(false)
    }
  })

  it('lets spec.ingressClassName win over the annotation', () => {
    const both = ingress({name: 'both', className: 'nginx', annotations: {'kubernetes.io/ingress.class': 'kcluster'}})
    expect(requestedClass(both)).toBe('nginx')
    expect(claimsIngress(both, [], {defaultClass: 'always'})).toBe(false)
  })

  it('serves class-less Ingresses under the annotation rule only when IngressClass kcluster is the default', () => {
    const sel = {defaultClass: 'annotation' as const}
    expect(claimsIngress(classless, [ingressClass('kcluster', true)], sel)).toBe(true)
    expect(claimsIngress(classless, [ingressClass('kcluster', false)], sel)).toBe(false)
    expect(claimsIngress(classless, [ingressClass('nginx', true)], sel)).toBe(false)
    expect(claimsIngress(classless, [], sel)).toBe(false)
  })

  it('serves class-less Ingresses always or never when told so', () => {
    expect(claimsIngress(classless, [], {defaultClass: 'always'})).toBe(true)
    expect(claimsIngress(classless, [ingressClass('kcluster', true)], {defaultClass: 'never'})).toBe(false)
  })

  it('builds the table from served Ingresses only and lists them oldest first', () => {
    const table = buildRouteTable({
      ingresses: [otherField, classless, byField],
      ingressClasses: [ingressClass('kcluster', true)],
      defaultClass: 'annotation',
    })
    expect(table.ingresses.map((i) => i.name)).toEqual(['classless', 'field'])
  })
})

describe('the route table', () => {
  it('merges paths of one host from several Ingresses', () => {
    const table = tableOf(
      ingress({name: 'api', rules: [rule('app.test', {path: '/api', service: 'api'})]}),
      ingress({name: 'web', rules: [rule('app.test', {path: '/', service: 'web'})]}),
    )
    expect(matchRoute(table, 'app.test', '/api/v1')?.backend.service).toBe('api')
    expect(matchRoute(table, 'app.test', '/index.html')?.backend.service).toBe('web')
    expect(table.conflicts).toEqual([])
  })

  it('gives a contested host and path to the oldest Ingress and reports the loser', () => {
    const older = ingress({name: 'z-older', created: '2024-01-01T00:00:00Z', rules: [rule('a.test', {path: '/x', service: 'old'})]})
    const newer = ingress({name: 'a-newer', created: '2024-06-01T00:00:00Z', rules: [rule('a.test', {path: '/x/', service: 'new'})]})
    for (const table of [tableOf(older, newer), tableOf(newer, older)]) {
      expect(matchRoute(table, 'a.test', '/x')?.backend.service).toBe('old')
      expect(table.conflicts).toEqual([
        {host: 'a.test', path: '/x/', pathType: 'Prefix', winner: {namespace: 'default', name: 'z-older'}, loser: {namespace: 'default', name: 'a-newer'}},
      ])
    }
  })

  it('breaks a creation-time tie by namespace, then name', () => {
    const mk = (namespace: string, name: string) =>
      ingress({name, namespace, rules: [rule(undefined, {path: '/', service: `${namespace}-${name}`})]})
    const table = tableOf(mk('b', 'a'), mk('a', 'z'), mk('a', 'b'))
    expect(matchRoute(table, 'x', '/')?.backend).toEqual({namespace: 'a', service: 'a-b', port: 80})
    expect(table.conflicts.map((c) => c.loser.name)).toEqual(['z', 'a'])
  })

  it('does not count Exact and Prefix on the same path as a conflict', () => {
    const table = tableOf(
      ingress({name: 'one', rules: [rule('h', {path: '/p', pathType: 'Exact', service: 'e'})]}),
      ingress({name: 'two', created: '2025-01-01T00:00:00Z', rules: [rule('h', {path: '/p', service: 'p'})]}),
    )
    expect(table.conflicts).toEqual([])
    expect(matchRoute(table, 'h', '/p')?.backend.service).toBe('e')
    expect(matchRoute(table, 'h', '/p/q')?.backend.service).toBe('p')
  })

  it('takes the defaultBackend of the oldest Ingress that sets one and reports the others', () => {
    const table = tableOf(
      ingress({name: 'late', created: '2025-01-01T00:00:00Z', defaultService: 'late'}),
      ingress({name: 'early', defaultService: 'early'}),
    )
    expect(matchRoute(table, 'any', '/')?.backend.service).toBe('early')
    expect(matchRoute(table, 'any', '/')?.route).toBeUndefined()
    expect(table.conflicts).toEqual([{winner: {namespace: 'default', name: 'early'}, loser: {namespace: 'default', name: 'late'}}])
  })

  it('keeps backends in the Ingress namespace with numbered or named ports', () => {
    const table = tableOf(ingress({
      name: 'w',
      namespace: 'shop',
      rules: [rule('s.test', {path: '/a', service: 'a', port: 8080}, {path: '/b', service: 'b', port: 'http'})],
    }))
    expect(matchRoute(table, 's.test', '/a')?.backend).toEqual({namespace: 'shop', service: 'a', port: 8080})
    expect(matchRoute(table, 's.test', '/b')?.backend).toEqual({namespace: 'shop', service: 'b', port: 'http'})
  })

  it('lists resource backends as unsupported instead of routing them', () => {
    const ing = ingress({name: 'r', rules: [rule('r.test', {path: '/', service: 's'})]})
    ing.spec!.rules![0]!.http!.paths.push({path: '/bucket', pathType: 'Prefix', backend: {resource: {kind: 'StorageBucket', name: 'b'}}})
    const table = tableOf(ing)
    expect(matchRoute(table, 'r.test', '/bucket')?.backend.service).toBe('s')
    expect(table.unsupported).toEqual([
      {source: {namespace: 'default', name: 'r'}, host: 'r.test', path: '/bucket', reason: 'resource backends are not supported'},
    ])
  })

  it('collects TLS sections with a Secret, oldest Ingress first, hosts in lower case', () => {
    const table = tableOf(
      ingress({name: 'b', created: '2025-01-01T00:00:00Z', tls: [{hosts: ['B.test'], secretName: 'b-tls'}]}),
      ingress({name: 'a', tls: [{hosts: ['a.test', '*.a.test'], secretName: 'a-tls'}, {hosts: ['nosecret.test']}]}),
    )
    expect(table.tls).toEqual([
      {namespace: 'default', secretName: 'a-tls', hosts: ['a.test', '*.a.test'], source: {namespace: 'default', name: 'a'}},
      {namespace: 'default', secretName: 'b-tls', hosts: ['b.test'], source: {namespace: 'default', name: 'b'}},
    ])
  })
})
