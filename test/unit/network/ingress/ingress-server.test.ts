import {randomBytes, createHash} from 'node:crypto'
import http from 'node:http'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {WebSocket} from 'ws'
import type {IngressBackendRef} from '../../../../src/cluster/network/ingress/ingress-routes.js'
import {IngressListenError, startIngressServer, type Endpoint, type IngressServer} from '../../../../src/cluster/network/ingress/ingress-server.js'
import {closedPort, request, startBackend, type Backend, type Echo} from './backends.js'
import {ingress, rule, tableOf} from './ingress-fixtures.js'

describe('startIngressServer', () => {
  let a: Backend
  let b1: Backend
  let b2: Backend
  let deadPort: number
  let server: IngressServer
  const resolved: IngressBackendRef[] = []

  beforeAll(async () => {
    ;[a, b1, b2] = await Promise.all([startBackend('a'), startBackend('b1'), startBackend('b2')])
    deadPort = await closedPort()
    const endpoints: Record<string, Endpoint[]> = {
      a: [{ip: '127.0.0.1', port: a.port}],
      b: [{ip: '127.0.0.1', port: b1.port}, {ip: '127.0.0.1', port: b2.port}],
      empty: [],
      dead: [{ip: '127.0.0.1', port: deadPort}],
    }
    const table = tableOf(ingress({
      name: 'web',
      rules: [
        rule('a.test', {path: '/', service: 'a'}),
        rule('b.test', {path: '/', service: 'b', port: 'http'}),
        rule('paths.test', {path: '/a', service: 'a'}, {path: '/b', pathType: 'Exact', service: 'b'}),
        rule('*.wild.test', {path: '/', service: 'a'}),
        rule('down.test', {path: '/empty', service: 'empty'}, {path: '/dead', service: 'dead'}),
      ],
    }))
    server = await startIngressServer({
      host: '127.0.0.1',
      httpPort: 0,
      httpsPort: 0,
      routes: () => table,
      resolve: (backend) => {
        resolved.push(backend)
        return endpoints[backend.service] ?? []
      },
      tls: () => [],
    })
  })
  afterAll(async () => {
    await server?.close()
    await Promise.all([a, b1, b2].map((backend) => backend?.close()))
  })

  const echo = async (host: string, path: string): Promise<Echo> => {
    const reply = await request(server.httpPort, host, path)
    expect(reply.status).toBe(200)
    return JSON.parse(reply.body) as Echo
  }

  it('routes by Host header to the backend of the matching rule', async () => {
    expect((await echo('a.test', '/x')).backend).toBe('a')
    expect(['b1', 'b2']).toContain((await echo('b.test', '/x')).backend)
    expect((await echo('one.wild.test', '/')).backend).toBe('a')
    expect(resolved).toContainEqual({namespace: 'default', service: 'b', port: 'http'})
  })

  it('routes by path within a host and keeps the path and query for the backend', async () => {
    const reply = await echo('paths.test', '/a/deep?q=1')
    expect(reply.backend).toBe('a')
    expect(reply.url).toBe('/a/deep?q=1')
    expect((await echo('paths.test', '/b')).backend).toMatch(/^b[12]$/)
    expect((await request(server.httpPort, 'paths.test', '/b/deeper')).status).toBe(404)
  })

  it('answers 404 "default backend - 404" when no rule matches', async () => {
    const reply = await request(server.httpPort, 'unknown.test', '/')
    expect(reply.status).toBe(404)
    expect(reply.body).toBe('default backend - 404')
    expect((await request(server.httpPort, 'deep.one.wild.test', '/')).status).toBe(404)
  })

  it('answers 503 when the backend has no endpoint and 502 when the endpoint refuses', async () => {
    expect((await request(server.httpPort, 'down.test', '/empty')).status).toBe(503)
    expect((await request(server.httpPort, 'down.test', '/dead')).status).toBe(502)
  })

  it('spreads requests over the endpoints round-robin', async () => {
    const seen: string[] = []
    for (let i = 0; i < 4; i++) seen.push((await echo('b.test', '/')).backend)
    expect(seen[0]).not.toBe(seen[1])
    expect(seen[2]).toBe(seen[0])
    expect(seen[3]).toBe(seen[1])
  })

  it('adds X-Forwarded-* headers, keeps Host and drops hop-by-hop headers', async () => {
    const reply = await request(server.httpPort, 'a.test:8080', '/', {
      headers: {'X-Forwarded-For': '10.0.0.1', Connection: 'keep-alive, X-Private', 'X-Private': 'secret', 'X-Kept': 'yes'},
    })
    const seen = JSON.parse(reply.body) as Echo
    expect(seen.headers.host).toBe('a.test:8080')
    expect(seen.headers['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1')
    expect(seen.headers['x-forwarded-proto']).toBe('http')
    expect(seen.headers['x-forwarded-host']).toBe('a.test:8080')
    expect(seen.headers['x-real-ip']).toBe('127.0.0.1')
    expect(seen.headers['x-private']).toBeUndefined()
    expect(seen.headers['x-kept']).toBe('yes')
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2'])
  })

  it('streams a large request body to the backend unchanged', async () => {
    const body = randomBytes(8 * 1024 * 1024)
    const reply = await request(server.httpPort, 'a.test', '/upload', {method: 'POST', body})
    const seen = JSON.parse(reply.body) as Echo
    expect(seen.bodyBytes).toBe(body.length)
    expect(seen.bodySha256).toBe(createHash('sha256').update(body).digest('hex'))
  })

  it('streams the response: the first chunk arrives before the backend finishes', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request({host: '127.0.0.1', port: server.httpPort, path: '/hold', headers: {Host: 'a.test'}, agent: false}, (res) => {
        let received = ''
        res.on('data', (chunk: Buffer) => {
          received += chunk.toString()
          if (received === 'first;') a.release()
        })
        res.on('end', () => resolve(received))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
    expect(text).toBe('first;second')
  })

  it('passes a WebSocket upgrade through to the backend', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.httpPort}/socket`, {headers: {Host: 'a.test'}})
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hello'))
      ws.on('message', (data) => resolve(data.toString()))
      ws.on('error', reject)
    })
    ws.close()
    expect(reply).toBe('a:a.test:hello')
  })

  it('refuses a WebSocket upgrade that matches no rule with the 404 answer', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.httpPort}/socket`, {headers: {Host: 'nowhere.test'}})
    const status = await new Promise<number>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!))
      ws.on('open', () => reject(new Error('upgrade should have been refused')))
      ws.on('error', reject)
    })
    ws.terminate()
    expect(status).toBe(404)
  })

  it('rejects with IngressListenError carrying the system code when a port is taken', async () => {
    const attempt = startIngressServer({
      host: '127.0.0.1',
      httpPort: server.httpPort,
      httpsPort: 0,
      routes: () => tableOf(),
      resolve: () => [],
      tls: () => [],
      defaultCertificate: undefined,
    })
    await expect(attempt).rejects.toBeInstanceOf(IngressListenError)
    await expect(attempt).rejects.toMatchObject({code: 'EADDRINUSE', port: server.httpPort})
  })
})
