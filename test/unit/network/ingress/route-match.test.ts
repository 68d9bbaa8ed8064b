import {describe, expect, it} from 'vitest'
import {hostMatches, matchRoute, normalizeHost, pathOf} from '../../../../src/cluster/network/ingress/route-match.js'
import {ingress, rule, tableOf, type PathSpec} from './ingress-fixtures.js'

// Whether a request path reaches a backend when one Ingress holds `paths` (host-less rule, no default).
function served(paths: PathSpec[], requestPath: string): string | undefined {
  const table = tableOf(ingress({name: 'web', rules: [rule(undefined, ...paths)]}))
  return matchRoute(table, 'example.com', requestPath)?.backend.service
}

const prefix = (path: string, service = 'svc'): PathSpec => ({path, pathType: 'Prefix', service})
const exact = (path: string, service = 'svc'): PathSpec => ({path, pathType: 'Exact', service})

describe('path matching follows the table of examples in the Ingress spec', () => {
  // https://kubernetes.io/docs/concepts/services-networking/ingress/#examples, row by row.
  const cases: Array<[string, PathSpec[], string, boolean]> = [
    ['Prefix / matches every path', [prefix('/')], '/anything/at/all', true],
    ['Exact /foo matches /foo', [exact('/foo')], '/foo', true],
    ['Exact /foo does not match /bar', [exact('/foo')], '/bar', false],
    ['Exact /foo does not match /foo/', [exact('/foo')], '/foo/', false],
    ['Exact /foo/ does not match /foo', [exact('/foo/')], '/foo', false],
    ['Prefix /foo matches /foo', [prefix('/foo')], '/foo', true],
    ['Prefix /foo matches /foo/', [prefix('/foo')], '/foo/', true],
    ['Prefix /foo/ matches /foo', [prefix('/foo/')], '/foo', true],
    ['Prefix /foo/ matches /foo/', [prefix('/foo/')], '/foo/', true],
    ['Prefix /aaa/bb does not match /aaa/bbb', [prefix('/aaa/bb')], '/aaa/bbb', false],
    ['Prefix /aaa/bbb matches /aaa/bbb', [prefix('/aaa/bbb')], '/aaa/bbb', true],
    ['Prefix /aaa/bbb/ matches /aaa/bbb, ignoring the trailing slash', [prefix('/aaa/bbb/')], '/aaa/bbb', true],
    ['Prefix /aaa/bbb matches /aaa/bbb/, matching the trailing slash', [prefix('/aaa/bbb')], '/aaa/bbb/', true],
    ['Prefix /aaa/bbb matches the subpath /aaa/bbb/ccc', [prefix('/aaa/bbb')], '/aaa/bbb/ccc', true],
    ['Prefix /aaa/bbb does not match the string prefix /aaa/bbbxyz', [prefix('/aaa/bbb')], '/aaa/bbbxyz', false],
    ['Prefix /aaa does not match /ccc (default backend)', [prefix('/aaa')], '/ccc', false],
  ]
  it.each(cases)('%s', (_title, paths, requestPath, matches) => {
    expect(served(paths, requestPath) !== undefined).toBe(matches)
  })

  it('Prefix /, /aaa: /aaa/ccc goes to /aaa', () => {
    expect(served([prefix('/', 'root'), prefix('/aaa', 'aaa')], '/aaa/ccc')).toBe('aaa')
  })

  it('Prefix /, /aaa, /aaa/bbb: /aaa/bbb goes to /aaa/bbb', () => {
    expect(served([prefix('/', 'root'), prefix('/aaa', 'aaa'), prefix('/aaa/bbb', 'bbb')], '/aaa/bbb')).toBe('bbb')
  })

  it('Prefix /, /aaa, /aaa/bbb: /ccc goes to /', () => {
    expect(served([prefix('/', 'root'), prefix('/aaa', 'aaa'), prefix('/aaa/bbb', 'bbb')], '/ccc')).toBe('root')
  })

  it('Prefix /foo and Exact /foo: /foo prefers Exact, whatever the order written', () => {
    expect(served([prefix('/foo', 'p'), exact('/foo', 'e')], '/foo')).toBe('e')
    expect(served([exact('/foo', 'e'), prefix('/foo', 'p')], '/foo')).toBe('e')
    expect(served([prefix('/foo', 'p'), exact('/foo', 'e')], '/foo/bar')).toBe('p')
  })

  it('ImplementationSpecific and a missing path type are served as Prefix', () => {
    expect(served([{path: '/foo', pathType: 'ImplementationSpecific', service: 's'}], '/foo/bar')).toBe('s')
    expect(served([{path: '/foo', pathType: 'ImplementationSpecific', service: 's'}], '/foobar')).toBeUndefined()
    expect(served([{pathType: 'ImplementationSpecific', service: 's'}], '/x')).toBe('s')
  })

  it('matches case-sensitively and ignores the query string', () => {
    expect(served([prefix('/Foo')], '/foo')).toBeUndefined()
    expect(served([exact('/foo')], '/foo?x=/bar')).toBe('svc')
  })

  it('prefers the longest matching path over the order the paths were written in', () => {
    expect(served([prefix('/a', 'short'), prefix('/a/b/c', 'long'), prefix('/a/b', 'mid')], '/a/b/c/d')).toBe('long')
    expect(served([prefix('/a/b/', 'slash'), exact('/a/b', 'exact')], '/a/b')).toBe('exact')
  })
})

describe('host matching follows the hostname wildcard rules of the Ingress spec', () => {
  it('matches a wildcard only one DNS label deep', () => {
    expect(hostMatches('*.foo.com', 'bar.foo.com')).toBe(true)
    expect(hostMatches('*.foo.com', 'baz.bar.foo.com')).toBe(false)
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false)
    expect(hostMatches('foo.bar.com', 'FOO.bar.com')).toBe(true)
  })

  const table = tableOf(ingress({
    name: 'hosts',
    rules: [
      rule('foo.bar.com', {path: '/', service: 'exact'}),
      rule('*.bar.com', {path: '/', service: 'wild'}, {path: '/only-wild', service: 'wild-path'}),
      rule(undefined, {path: '/any', service: 'catch-all'}),
    ],
    defaultService: 'default',
  }))
  const backendOf = (host: string, path = '/') => matchRoute(table, host, path)?.backend.service

  it('routes an exact host before the wildcard that also covers it', () => {
    expect(backendOf('foo.bar.com')).toBe('exact')
    expect(backendOf('Foo.Bar.Com:8080')).toBe('exact')
    expect(backendOf('foo.bar.com.')).toBe('exact')
  })

  it('routes a host with one extra label to the wildcard rule and deeper hosts past it', () => {
    expect(backendOf('baz.bar.com')).toBe('wild')
    expect(backendOf('a.baz.bar.com')).toBe('default')
    expect(backendOf('bar.com')).toBe('default')
  })

  it('falls through from host rules to wildcard, then host-less rules, then the defaultBackend', () => {
    expect(backendOf('foo.bar.com', '/only-wild')).toBe('exact') // the exact host's `/` already matches
    expect(backendOf('other.com', '/any/x')).toBe('catch-all')
    expect(backendOf('other.com', '/none')).toBe('default')
    expect(matchRoute(table, undefined, '/any')?.backend.service).toBe('catch-all')
  })

  it('answers nothing when no rule matches and there is no defaultBackend', () => {
    const bare = tableOf(ingress({name: 'a', rules: [rule('a.com', {path: '/x', pathType: 'Exact', service: 's'})]}))
    expect(matchRoute(bare, 'a.com', '/y')).toBeUndefined()
    expect(matchRoute(bare, 'b.com', '/x')).toBeUndefined()
  })
})

describe('request parsing', () => {
  it('normalizes Host headers: case, port, trailing dot, IPv6 literals', () => {
    expect(normalizeHost('Example.COM:443')).toBe('example.com')
    expect(normalizeHost('[::1]:8080')).toBe('[::1]')
    expect(normalizeHost(undefined)).toBeUndefined()
    expect(normalizeHost('')).toBeUndefined()
  })

  it('takes the path of origin-form and absolute-form targets without query or fragment', () => {
    expect(pathOf('/a/b?c=d')).toBe('/a/b')
    expect(pathOf('http://h.com/a#x')).toBe('/a')
    expect(pathOf('http://h.com')).toBe('/')
  })
})
