import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PROBE_USER_AGENT, httpProbe, probeURL} from '../../../../src/cluster/agent/probes/http-probe.js'
import {freePort} from './free-port.js'

let server: Server
let port: number
let lastHeaders: IncomingHttpHeaders = {}

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/ok') return void res.end('fine')
    if (url.pathname === '/fail') return void res.writeHead(500).end('broken inside')
    if (url.pathname === '/hop') return void res.writeHead(302, {location: '/ok'}).end()
    if (url.pathname === '/loop') return void res.writeHead(302, {location: '/loop'}).end()
    if (url.pathname === '/away') return void res.writeHead(301, {location: 'http://localhost:1/elsewhere'}).end('moved')
    if (url.pathname === '/slow') return void setTimeout(() => res.end('late'), 3_000).unref()
    if (url.pathname === '/hangup') return void req.socket.destroy()
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

const probe = (path: string, extra: Partial<Parameters<typeof httpProbe>[0]> = {}) =>
  httpProbe({scheme: 'http', host: '127.0.0.1', port, path, headers: [], timeoutMs: 1000, ...extra})

describe('httpProbe', () => {
  it('succeeds on a 2xx answer', async () => {
    expect(await probe('/ok')).toEqual({result: 'success', output: 'fine'})
  })

  it('fails on a 500 with the kubelet\'s message and without the body', async () => {
    expect(await probe('/fail')).toEqual({result: 'failure', output: 'HTTP probe failed with statuscode: 500'})
  })

  it('sends the kubelet\'s User-Agent and Accept, the probe\'s headers, and a Host override', async () => {
    await probe('/ok', {headers: [{name: 'X-Custom', value: 'a'}, {name: 'X-Custom', value: 'b'}, {name: 'Host', value: 'example.test'}]})
    expect(lastHeaders['user-agent']).toBe(PROBE_USER_AGENT)
    expect(lastHeaders.accept).toBe('*/*')
    expect(lastHeaders['x-custom']).toBe('a, b')
    expect(lastHeaders.host).toBe('example.test')
    expect(lastHeaders.connection).toBe('close')
  })

  it('lets the probe replace User-Agent and drop Accept with an empty value', async () => {
    await probe('/ok', {headers: [{name: 'User-Agent', value: 'mine'}, {name: 'Accept', value: ''}]})
    expect(lastHeaders['user-agent']).toBe('mine')
    expect(lastHeaders.accept).toBeUndefined()
  })

  it('follows a redirect on the same host', async () => {
    expect(await probe('/hop')).toEqual({result: 'success', output: 'fine'})
  })

  it('gives up after 10 redirects', async () => {
    expect(await probe('/loop')).toEqual({result: 'failure', output: `Get "http://127.0.0.1:${port}/loop": stopped after 10 redirects`})
  })

  it('counts a redirect to another host as success with a warning, as the kubelet does', async () => {
    const outcome = await probe('/away')
    expect(outcome).toEqual({result: 'success', output: 'moved', warning: 'Probe terminated redirects, Response body: moved'})
  })

  it('reports a refused connection as Go does', async () => {
    const closed = await freePort()
    const outcome = await probe('/healthz', {port: closed})
    expect(outcome).toEqual({result: 'failure', output: `Get "http://127.0.0.1:${closed}/healthz": dial tcp 127.0.0.1:${closed}: connect: connection refused`})
  })

  it('fails with the client timeout message when no headers arrive in time', async () => {
    const started = Date.now()
    const outcome = await probe('/slow', {timeoutMs: 300})
    expect(outcome).toEqual({result: 'failure', output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`})
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('reports a connection closed without an answer as EOF', async () => {
    expect(await probe('/hangup')).toEqual({result: 'failure', output: `Get "http://127.0.0.1:${port}/hangup": EOF`})
  })
})

describe('probeURL', () => {
  it('prints the URL as the kubelet does, adding a slash only to a relative path', () => {
    expect(probeURL('http', '10.0.0.3', 8080, '/healthz')).toBe('http://10.0.0.3:8080/healthz')
    expect(probeURL('http', '10.0.0.3', 8080, 'healthz?x=1')).toBe('http://10.0.0.3:8080/healthz?x=1')
    expect(probeURL('http', '10.0.0.3', 80, '')).toBe('http://10.0.0.3:80')
    expect(probeURL('https', 'fd00::1', 443, '/')).toBe('https://[fd00::1]:443/')
  })
})
