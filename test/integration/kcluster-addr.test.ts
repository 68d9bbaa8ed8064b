// kcluster-addr (assets/net) on the real engine: the address it adds to a NET_ADMIN container on a
// bridge network is reachable from another container there, adding or removing twice is fine, and
// without NET_ADMIN the kernel's refusal is reported. This is how kcluster-net holds ClusterIPs.
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {engine, itFindsDockerUnderCI} from '../support/docker-engine.js'

const IMAGE = 'kcluster-test/busybox:1'
const BINARY = join(import.meta.dirname, '../../assets/net/kcluster-addr-linux-amd64')
const run = randomBytes(3).toString('hex')
const network = `kcluster-addr-it-${run}`
const holder = `kcluster-addr-holder-${run}`
const docker = (args: string[]) => execa('docker', args, {reject: false, timeout: 30_000})

itFindsDockerUnderCI()

describe.skipIf(!engine.ok || process.arch !== 'x64')('kcluster-addr holds an address on the bridge', () => {
  let address: string
  beforeAll(async () => {
    // A subnet the engine picks, so the test never collides with a cluster's; the held address is its last usable one.
    expect((await docker(['network', 'create', '--label', 'kcluster-test=1', network])).exitCode).toBe(0)
    const subnet = (await docker(['network', 'inspect', network, '--format', '{{(index .IPAM.Config 0).Subnet}}'])).stdout.trim()
    const [base, bits] = subnet.split('/')
    const octets = base!.split('.').map(Number)
    const last = (octets[0]! * 2 ** 24 + octets[1]! * 2 ** 16 + octets[2]! * 2 ** 8 + octets[3]!) + 2 ** (32 - Number(bits)) - 2
    address = [24, 16, 8, 0].map((s) => Math.floor(last / 2 ** s) % 256).join('.')
    const script = `/kcluster-addr add ${address} eth0 && /kcluster-addr add ${address} eth0 && mkdir -p /w && echo held > /w/index.html && exec httpd -f -p ${address}:80 -h /w`
    const started = await docker(['run', '-d', '--name', holder, '--network', network, '--cap-add', 'NET_ADMIN', '-v', `${BINARY}:/kcluster-addr:ro`, IMAGE, 'sh', '-c', script])
    expect(started.exitCode, started.stderr).toBe(0)
  }, 60_000)
  afterAll(async () => {
    await docker(['rm', '-f', holder])
    await docker(['network', 'rm', network])
  })

  it('answers on the held address from another container, and removing it twice succeeds', async () => {
    let body = ''
    for (let i = 0; i < 20 && body !== 'held'; i++) {
      body = (await docker(['run', '--rm', '--network', network, IMAGE, 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc ${address} 80 | tail -1`])).stdout.trim()
      if (body !== 'held') await new Promise((r) => setTimeout(r, 250))
    }
    expect(body).toBe('held')
    expect((await docker(['exec', holder, '/kcluster-addr', 'del', address, 'eth0'])).exitCode).toBe(0)
    expect((await docker(['exec', holder, '/kcluster-addr', 'del', address, 'eth0'])).exitCode).toBe(0)
    expect((await docker(['exec', holder, 'ip', 'addr', 'show', 'eth0'])).stdout).not.toContain(`${address}/32`)
  }, 60_000)

  it('reports the kernel refusal without NET_ADMIN (exit 1) and bad arguments with usage (exit 2)', async () => {
    const denied = await docker(['run', '--rm', '--network', network, '-v', `${BINARY}:/kcluster-addr:ro`, IMAGE, '/kcluster-addr', 'add', address, 'eth0'])
    expect(denied.exitCode).toBe(1)
    expect(denied.stderr).toContain('Operation not permitted')
    const usage = await docker(['exec', holder, '/kcluster-addr', 'add', 'not-an-ip', 'eth0'])
    expect(usage.exitCode).toBe(2)
  }, 60_000)
})
