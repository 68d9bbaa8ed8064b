import {spawn, type ChildProcess} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'
import {readNetConfig} from '../../../../src/cluster/network/net-agent/net-process.js'
import {ControlClient, freePort, netState, WEB_IP} from './net-fixtures.js'
import {tcpBackend} from '../proxy/backends.js'

const MAIN = fileURLToPath(new URL('../../../../src/cluster/network/net-agent/net-main.ts', import.meta.url))

interface Started {
  child: ChildProcess
  lines: Array<Record<string, unknown>>
  exited: Promise<number | null>
  /** Resolves with the first log line `match` accepts, or rejects after `timeoutMs`. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
}

// The entry as the container runs it (with tsx in place of the build), its stdout parsed as log lines.
function startMain(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {env: {PATH: process.env.PATH ?? '', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  const lines: Array<Record<string, unknown>> = []
  const waiters = new Set<() => void>()
  let buffered = ''
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    buffered += text
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      lines.push(JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>)
      buffered = buffered.slice(nl + 1)
      for (const w of waiters) w()
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const waitFor = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match)
        if (!found) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve(found)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no matching log line; saw ${JSON.stringify(lines)}`))
      }, timeoutMs)
      waiters.add(check)
      check()
    })
  return {child, lines, exited, waitFor}
}

describe('net-main', () => {
  const children: ChildProcess[] = []
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
  })

  it('serves the control port from its environment, logs to stdout and exits 0 on SIGTERM, closing its control connections', async () => {
    const web = await tcpBackend('web')
    const webPort = await freePort(WEB_IP)
    const main = startMain({
      KCLUSTER_NET_TOKEN: 'main-token', KCLUSTER_NET_LISTEN: '127.0.0.1', KCLUSTER_NET_CONTROL_PORT: '0',
      KCLUSTER_NET_DNS_PORT: '0', KCLUSTER_NET_ADDR_COMMAND: '/bin/true', KCLUSTER_NET_DNS_UPSTREAM: 'none',
    })
    children.push(main.child)
    try {
      const running = await main.waitFor((l) => l.msg === 'kcluster-net running')
      const client = await ControlClient.connect(running.controlPort as number)
      client.send({token: 'main-token'})
      client.send({state: netState({web: web.endpoint, webPort}), generation: 1})
      // /bin/true stands in for kcluster-addr and accepts every address.
      expect(await client.report()).toEqual({generation: 1, failures: []})
      await main.waitFor((l) => l.msg === 'state applied')

      main.child.kill('SIGTERM')
      expect(await main.exited).toBe(0)
      expect(main.lines.map((l) => l.msg)).toContain('kcluster-net stopped')
      expect(await client.closedWithin()).toBe(true)
    } finally {
      await web.close()
    }
  })

  it('exits 2 and says which setting is missing when the token is not set', async () => {
    const main = startMain({KCLUSTER_NET_LISTEN: '127.0.0.1'})
    children.push(main.child)
    expect(await main.exited).toBe(2)
    expect(main.lines.find((l) => l.msg === 'kcluster-net misconfigured')?.err).toMatchObject({message: 'KCLUSTER_NET_TOKEN is not set'})
  })
})

describe('readNetConfig', () => {
  it('takes the contract\'s defaults for everything but the token and the listen address', () => {
    expect(readNetConfig({KCLUSTER_NET_TOKEN: 't', KCLUSTER_NET_LISTEN: '10.200.255.254'})).toEqual({
      token: 't', listen: '10.200.255.254', controlPort: 7946, dnsPort: 53, addrCommand: '/kcluster-addr', interfaceName: 'eth0',
      upstream: {host: '127.0.0.11', port: 53},
    })
  })

  it('reads the optional settings and refuses ports and upstreams it cannot use', () => {
    const base = {KCLUSTER_NET_TOKEN: 't', KCLUSTER_NET_LISTEN: '127.0.0.1'}
    expect(readNetConfig({...base, KCLUSTER_NET_DNS_UPSTREAM: '127.0.0.1:5353', KCLUSTER_NET_INTERFACE: 'eth1', KCLUSTER_NET_DNS_PORT: '0'}))
      .toMatchObject({upstream: {host: '127.0.0.1', port: 5353}, interfaceName: 'eth1', dnsPort: 0})
    expect(readNetConfig({...base, KCLUSTER_NET_DNS_UPSTREAM: 'none'}).upstream).toBeUndefined()
    expect(() => readNetConfig({...base, KCLUSTER_NET_DNS_PORT: '99999'})).toThrow(/KCLUSTER_NET_DNS_PORT=99999 is not a port number/)
    expect(() => readNetConfig({...base, KCLUSTER_NET_DNS_UPSTREAM: 'resolver'})).toThrow(/is not host:port or none/)
    expect(() => readNetConfig({KCLUSTER_NET_TOKEN: 't'})).toThrow(expect.objectContaining({name: 'NetConfigError', message: 'KCLUSTER_NET_LISTEN is not set'}))
  })
})
