import {describe, expect, it} from 'vitest'
import {ingressProblems, ReportedProblems, SyncAnnouncements, type IngressProblem} from '../../../../src/cluster/network/ingress-controller/ingress-problems.js'
import {ingress, rule, tableOf} from '../ingress/ingress-fixtures.js'

const first = {namespace: 'default', name: 'first'}
const second = {namespace: 'default', name: 'second'}

describe('ingressProblems', () => {
  it('reports the younger Ingress of a host/path conflict, worded like ingress-nginx', () => {
    const table = tableOf(
      ingress({name: 'first', created: '2024-01-01T00:00:00Z', rules: [rule('a.test', {path: '/', service: 'web'})]}),
      ingress({name: 'second', created: '2024-01-02T00:00:00Z', rules: [rule('a.test', {path: '/', service: 'other'})]}),
    )
    expect(ingressProblems(table, [])).toEqual([
      {source: second, reason: 'Conflict', message: 'host "a.test" and path "/" (Prefix) is already defined in ingress default/first; this one is not routed'},
    ])
  })

  it('reports resource backends and the TLS problems passed in', () => {
    const withResource = ingress({name: 'first', rules: [rule('a.test', {path: '/', service: 'web'})]})
    withResource.spec!.rules![0]!.http!.paths[0]!.backend = {resource: {apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'b'}}
    const tls = {source: first, reason: 'MissingTLSSecret' as const, message: 'secret default/x not found'}
    expect(ingressProblems(tableOf(withResource), [tls])).toEqual([
      {source: first, reason: 'UnsupportedBackend', message: 'path "/" of host "a.test": resource backends are not supported'},
      tls,
    ])
  })
})

describe('ReportedProblems', () => {
  const conflict: IngressProblem = {source: second, reason: 'Conflict', message: 'taken'}

  it('lets a problem through once while it lasts, and again when it comes back', () => {
    const reported = new ReportedProblems()
    expect(reported.fresh([conflict], [first, second])).toEqual([conflict])
    expect(reported.fresh([conflict], [first, second])).toEqual([])
    expect(reported.fresh([], [first, second])).toEqual([])
    expect(reported.fresh([conflict], [first, second])).toEqual([conflict])
  })

  it('reports a problem with a new message as new', () => {
    const reported = new ReportedProblems()
    reported.fresh([conflict], [second])
    const changed = {...conflict, message: 'taken by someone else'}
    expect(reported.fresh([changed], [second])).toEqual([changed])
  })
})

describe('SyncAnnouncements', () => {
  it('announces an Ingress when first served and again when its generation or uid changes', () => {
    const sync = new SyncAnnouncements()
    expect(sync.due([{ref: first, uid: 'u1', generation: 1}])).toEqual([first])
    expect(sync.due([{ref: first, uid: 'u1', generation: 1}])).toEqual([])
    expect(sync.due([{ref: first, uid: 'u1', generation: 2}, {ref: second, uid: 'u2', generation: 1}])).toEqual([first, second])
    expect(sync.due([{ref: first, uid: 'u3', generation: 1}])).toEqual([first])
  })
})
