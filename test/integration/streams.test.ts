// exec, attach and port-forward driven by the real kubectl binaries: 1.32 (picked by the dispatcher
// on PATH; WebSocket v5 exec, SPDY tunnelled in a WebSocket for port-forward) and 1.29 (raw SPDY/3.1
// for both). The pods' "containers" are local child processes and a local TCP server, supplied by a
// test StreamRuntime, so what is checked is the API server's wire protocols end to end.
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import type {Duplex} from 'node:stream'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import WebSocket from 'ws'
import type {ExecProcess, ExecRequest, PortForwardTarget, StreamRuntime} from '../../src/cluster/apiserver/streams/stream-runtime.js'
import {standaloneKubeconfig} from '../../src/cluster/kubeconfig/standalone.js'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {mustCreate, pod, POD_PATH} from './objects.js'

const KUBECTL_TIMEOUT_MS = 30_000

/** Commands run as local processes; port 8080 of every pod is the test's HTTP server. */
class LocalProcessRuntime implements StreamRuntime {
  readonly resizes: Array<[number, number]> = []
  constructor(private readonly ports: Map<number, number>) {}

  async exec(req: ExecRequest): Promise<ExecProcess> {
    // `exec "$@"` keeps argv exactly as kubectl sent it, through /bin/sh as the brief asks.
    return this.spawnProcess(['-c', 'exec "$@"', 'sh', ...req.command], req)
  }

  async attach(req: Omit<ExecRequest, 'command'>): Promise<ExecProcess> {
    return this.spawnProcess(['-c', 'echo attached; cat'], req)
  }

  portForward(target: PortForwardTarget): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.ports.get(target.port) ?? 1, '127.0.0.1')
      socket.once('connect', () => resolve(socket))
      socket.once('error', reject)
    })
  }

  private spawnProcess(args: string[], req: Omit<ExecRequest, 'command'>): ExecProcess {
    const child = spawn('/bin/sh', args, {stdio: ['pipe', 'pipe', 'pipe']})
    const exit = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1))))
    if (!req.stdin) child.stdin.end()
    return {
      stdin: req.stdin ? child.stdin : undefined,
      stdout: child.stdout,
      stderr: child.stderr,
      exit,
      resize: (cols, rows) => this.resizes.push([cols, rows]),
      kill: () => child.kill('SIGKILL'),
    }
  }
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let k: TestCluster
let work: string
let kubeconfig: string
let httpServer: http.Server
let runtime: LocalProcessRuntime
let podName: string
const children = new Set<ChildProcess>()
const dispatcher = realpathSync(join(process.env.PATH!.split(':').find((d) => existsSync(join(d, 'kubectl'))) ?? '/usr/bin', 'kubectl'))
const KUBECTLS = [
  {version: '1.32', binary: 'kubectl'},
  {version: '1.29', binary: join(dirname(dispatcher), 'kubectl.1.29')},
]

beforeAll(async () => {
  httpServer = http.createServer((_req, res) => res.end('hello from the pod'))
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  runtime = new LocalProcessRuntime(new Map([[8080, (httpServer.address() as net.AddressInfo).port]]))
  k = await startTestCluster({streams: runtime})
  work = mkdtempSync(join(tmpdir(), 'kcluster-streams-'))
  kubeconfig = join(work, 'kubeconfig')
  writeFileSync(kubeconfig, standaloneKubeconfig({name: 'streams-test', server: k.url, certificates: k.certificates}))
  podName = uniqueName('shell')
  await mustCreate(k, POD_PATH('default'), pod(podName))
  await eventually(async () => (await k.request('GET', POD_PATH('default', podName))).json?.status?.phase === 'Running', `pod ${podName} Running`)
})

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await k?.stop()
  await new Promise((resolve) => httpServer?.close(resolve))
  httpServer?.closeAllConnections()
  if (work) rmSync(work, {recursive: true, force: true})
})

function startKubectl(binary: string, args: string[]): ChildProcess {
  const child = spawn(binary, args, {env: {...process.env, KUBECONFIG: kubeconfig, HOME: work}, stdio: ['pipe', 'pipe', 'pipe']})
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

function kubectl(binary: string, args: string[], input?: string): Promise<Run> {
  const child = startKubectl(binary, args)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  if (input !== undefined) child.stdin!.end(input)
  else child.stdin!.end()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`kubectl ${args.join(' ')} did not finish in time; stdout=${stdout} stderr=${stderr}`))
    }, KUBECTL_TIMEOUT_MS)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({host: '127.0.0.1', port, path: '/', agent: false, timeout: 10_000}, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve(body))
    })
    req.on('timeout', () => req.destroy(new Error('GET through the port-forward timed out')))
    req.on('error', reject)
  })
}

describe.each(KUBECTLS)('kubectl $version', ({version, binary}) => {
  it(`prints the output of \`exec pod -- echo hi\` (${version === '1.29' ? 'SPDY' : 'WebSocket v5'})`, async () => {
    const run = await kubectl(binary, ['exec', '-v=6', podName, '--', 'echo', 'hi'])
    expect(run, run.stderr).toMatchObject({code: 0, stdout: 'hi\n'})
    // The transport actually used: 1.32 must not have fallen back to SPDY.
    const method = version === '1.29' ? 'POST' : 'GET'
    expect(run.stderr).toMatch(new RegExp(`${method} https://\\S+/pods/${podName}/exec\\S* 101 Switching Protocols`))
    expect(run.stderr).not.toMatch(/fallback/i)
  })

  it('exits with the command exit code and says "command terminated with exit code 3"', async () => {
    const run = await kubectl(binary, ['exec', podName, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
    expect(run.code).toBe(3)
    expect(run.stdout).toBe('out\n')
    expect(run.stderr).toContain('err\n')
    expect(run.stderr).toContain('command terminated with exit code 3')
  })

  it('copies stdin to the process with `exec -i` and ends it at EOF', async () => {
    const run = await kubectl(binary, ['exec', '-i', podName, '--', 'cat'], 'abc\n')
    expect(run, run.stderr).toMatchObject({code: 0, stdout: 'abc\n'})
  })

  it('fails `exec` on a missing pod with NotFound', async () => {
    const run = await kubectl(binary, ['exec', 'no-such-pod', '--', 'echo', 'hi'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('Error from server (NotFound): pods "no-such-pod" not found')
  })

  it('streams the main process output with `attach` and ends with it', async () => {
    const run = await kubectl(binary, ['attach', podName])
    expect(run, run.stderr).toMatchObject({code: 0, stdout: 'attached\n'})
  })

  it(`forwards a local port to the pod's port 8080 (${version === '1.29' ? 'raw SPDY' : 'SPDY tunnelled in a WebSocket'})`, async () => {
    const local = await freePort()
    const child = startKubectl(binary, ['port-forward', `pod/${podName}`, `${local}:8080`, '-v=6'])
    let output = ''
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()))
    try {
      await eventually(async () => output.includes(`Forwarding from 127.0.0.1:${local}`), 'kubectl to start forwarding', 15_000)
      expect(await httpGet(local)).toBe('hello from the pod')
      // A second connection on the same forward uses the next requestid.
      expect(await httpGet(local)).toBe('hello from the pod')
      const method = version === '1.29' ? 'POST' : 'GET'
      expect(output).toMatch(new RegExp(`${method} https://\\S+/pods/${podName}/portforward 101 Switching Protocols`))
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('reports a refused pod port on the error stream, which kubectl prints', async () => {
    const local = await freePort()
    const child = startKubectl(binary, ['port-forward', `pod/${podName}`, `${local}:9999`])
    let output = ''
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()))
    try {
      await eventually(async () => output.includes(`Forwarding from 127.0.0.1:${local}`), 'kubectl to start forwarding', 15_000)
      await httpGet(local).catch(() => '')
      await eventually(async () => output.includes(`error forwarding port 9999 to pod default/${podName}`), 'the forwarding error', 10_000)
      expect(output).toContain('ECONNREFUSED')
    } finally {
      child.kill('SIGKILL')
    }
  })
})

// What kubectl does not exercise: client-node's protocols (v4 channel port-forward, v4 exec), a
// terminal's resize messages, v5 stdin close, and the refusals, spoken directly over `ws`.
interface Frames {
  messages: Array<{channel: number; payload: Buffer}>
  closeCode?: number
  closed: Promise<void>
}

function openWs(path: string, protocols: string[], anonymous = false): Promise<{ws: WebSocket; frames: Frames; protocol: string}> {
  const url = k.url.replace('https://', 'wss://') + path
  const {caCert, adminCert, adminKey} = k.certificates
  const ws = new WebSocket(url, protocols, {ca: caCert, ...(anonymous ? {} : {cert: adminCert, key: adminKey}), handshakeTimeout: 10_000})
  const frames: Frames = {messages: [], closed: new Promise((resolve) => ws.once('close', (code) => ((frames.closeCode = code), resolve())))}
  ws.on('message', (data: Buffer) => frames.messages.push({channel: data[0]!, payload: data.subarray(1)}))
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ws, frames, protocol: ws.protocol}))
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), {status: res.statusCode, body})))
    })
    ws.once('error', reject)
  })
}

async function refusal(path: string, protocols: string[], anonymous = false): Promise<{status: number; body: string}> {
  try {
    const {ws} = await openWs(path, protocols, anonymous)
    ws.terminate()
  } catch (error) {
    return error as {status: number; body: string}
  }
  throw new Error(`upgrade of ${path} was accepted`)
}

const channelText = (frames: Frames, channel: number) =>
  Buffer.concat(frames.messages.filter((m) => m.channel === channel).map((m) => m.payload)).toString('utf8')
const withTimeout = <T>(p: Promise<T>, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), 10_000))])

describe('channel WebSocket protocols', () => {
  const EXEC = (query: string) => `${POD_PATH('default', podName)}/exec?${query}`

  it('serves client-node port-forward on v4.channel.k8s.io: port bytes first, then data on channel 0', async () => {
    const {ws, frames, protocol} = await openWs(`${POD_PATH('default', podName)}/portforward?ports=8080`, ['v5.channel.k8s.io', 'v4.channel.k8s.io'])
    try {
      expect(protocol).toBe('v4.channel.k8s.io')
      await eventually(async () => frames.messages.length >= 2, 'the two port announcements')
      expect(frames.messages.slice(0, 2).map((m) => [m.channel, ...m.payload])).toEqual([
        [0, 8080 & 0xff, 8080 >> 8],
        [1, 8080 & 0xff, 8080 >> 8],
      ])
      ws.send(Buffer.concat([Buffer.of(0), Buffer.from('GET / HTTP/1.0\r\n\r\n')]))
      await withTimeout(frames.closed, 'the forward to end when the server closes')
      expect(channelText({...frames, messages: frames.messages.slice(2)}, 0)).toContain('hello from the pod')
    } finally {
      ws.terminate()
    }
  })

  it('forwards v4 terminal resizes and ends stdin on the v5 close signal [255, 0]', async () => {
    const before = runtime.resizes.length
    const {ws, frames, protocol} = await openWs(EXEC('command=cat&stdin=true&stdout=true&tty=true'), ['v5.channel.k8s.io'])
    try {
      expect(protocol).toBe('v5.channel.k8s.io')
      ws.send(Buffer.concat([Buffer.of(4), Buffer.from('{"Width":100,"Height":30}\n')]))
      ws.send(Buffer.concat([Buffer.of(0), Buffer.from('xyz')]))
      ws.send(Buffer.of(255, 0))
      await withTimeout(frames.closed, 'cat to exit at stdin EOF')
      expect(channelText(frames, 1)).toBe('xyz')
      expect(JSON.parse(channelText(frames, 3))).toEqual({metadata: {}, status: 'Success'})
      expect(frames.closeCode).toBe(1000)
      expect(runtime.resizes.slice(before)).toEqual([[100, 30]])
    } finally {
      ws.terminate()
    }
  })

  it('speaks v4 to a client that does not offer v5, with the exit code in the channel 3 Status', async () => {
    const {ws, frames, protocol} = await openWs(EXEC('command=sh&command=-c&command=exit%207&stdout=true&stderr=true'), ['v4.channel.k8s.io', 'channel.k8s.io'])
    try {
      expect(protocol).toBe('v4.channel.k8s.io')
      await withTimeout(frames.closed, 'the command to end')
      expect(JSON.parse(channelText(frames, 3))).toEqual({
        metadata: {},
        status: 'Failure',
        message: 'command terminated with non-zero exit code: error executing command [sh -c exit 7], exit code 7',
        reason: 'NonZeroExitCode',
        details: {causes: [{reason: 'ExitCode', message: '7'}]},
      })
    } finally {
      ws.terminate()
    }
  })

  it('refuses upgrades like the real server: 404 pod, 400 container, kubelet text for a container not running, 401', async () => {
    const missing = await refusal(`${POD_PATH('default', 'no-such-pod')}/exec?command=ls&stdout=true`, ['v5.channel.k8s.io'])
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body)).toMatchObject({kind: 'Status', reason: 'NotFound', message: 'pods "no-such-pod" not found'})

    const badContainer = await refusal(EXEC('command=ls&stdout=true&container=nope'), ['v5.channel.k8s.io'])
    expect(badContainer.status).toBe(400)
    expect(JSON.parse(badContainer.body)).toMatchObject({reason: 'BadRequest', message: `container nope is not valid for pod ${podName}`})

    // Bound to a node no kubelet runs: the container never starts.
    const idle = uniqueName('idle')
    await mustCreate(k, POD_PATH('default'), pod(idle, {}, {nodeName: 'ghost-node'}))
    const notRunning = await refusal(`${POD_PATH('default', idle)}/exec?command=ls&stdout=true`, ['v5.channel.k8s.io'])
    expect(notRunning).toMatchObject({status: 500, body: 'container not found ("nginx")'})

    const anonymous = await refusal(EXEC('command=ls&stdout=true'), ['v5.channel.k8s.io'], true)
    expect(anonymous.status).toBe(401)
  })

  it('answers a plain (non-upgrade) request to pods/exec with 400 Upgrade request required', async () => {
    const r = await k.request('POST', EXEC('command=ls&stdout=true'))
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({reason: 'BadRequest', message: 'Upgrade request required'})
  })
})

describe('shutdown', () => {
  it('ends an open exec session when the control plane stops', async () => {
    const own = await startTestCluster({streams: runtime})
    let stopped = false
    try {
      const name = uniqueName('shell')
      await mustCreate(own, POD_PATH('default'), pod(name))
      await eventually(async () => (await own.request('GET', POD_PATH('default', name))).json?.status?.phase === 'Running', `pod ${name} Running`)
      const url = own.url.replace('https://', 'wss://') + `${POD_PATH('default', name)}/exec?command=cat&stdin=true&stdout=true`
      const tls = {ca: own.certificates.caCert, cert: own.certificates.adminCert, key: own.certificates.adminKey}
      const ws = new WebSocket(url, ['v5.channel.k8s.io'], tls)
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)))
      await withTimeout(own.stop(), 'control plane stop with an open exec session')
      stopped = true
      await withTimeout(closed, 'the exec session to close')
    } finally {
      if (!stopped) await own.stop()
    }
  })
})
