// The streaming half of the Docker runtime (exec, attach, port-forward), behind the API server's
// StreamRuntime interface: `docker exec` with a hijacked connection (demultiplexed unless it is a
// TTY), `docker attach` to the main process, and a TCP connection to the pod IP on the cluster's
// bridge network for port-forward.
import {connect} from 'node:net'
import {PassThrough, type Duplex} from 'node:stream'
import type Docker from 'dockerode'
import type {ExecProcess, ExecRequest, PortForwardTarget, StreamRuntime} from '../../apiserver/streams/stream-runtime.js'
import {instancesOf, type RuntimeContainer} from '../runtime.js'
import type {DockerRuntime} from './docker-runtime.js'
import {DockerRuntimeError} from './errors.js'

export class DockerStreams implements StreamRuntime {
  constructor(private readonly runtime: DockerRuntime) {}

  async exec(req: ExecRequest): Promise<ExecProcess> {
    const container = await this.runningContainer(req)
    const exec = await this.docker.getContainer(container.id).exec({
      Cmd: req.command,
      AttachStdin: req.stdin,
      AttachStdout: req.stdout,
      AttachStderr: req.stderr && !req.tty,
      Tty: req.tty,
    })
    const stream = (await exec.start({hijack: true, stdin: req.stdin, Tty: req.tty})) as Duplex
    const process = this.pipes(stream, req)
    const exit = new Promise<number>((resolve) => {
      stream.on('close', () => resolve(exitCodeOf(exec)))
      stream.on('end', () => resolve(exitCodeOf(exec)))
      stream.on('error', () => resolve(exitCodeOf(exec)))
    }).then((code) => code)
    return {
      ...process,
      resize: req.tty ? (cols, rows) => void exec.resize({w: cols, h: rows}).catch(() => undefined) : undefined,
      exit,
      kill: () => stream.destroy(),
    }
  }

  async attach(req: Omit<ExecRequest, 'command'>): Promise<ExecProcess> {
    const container = await this.runningContainer(req)
    const target = this.docker.getContainer(container.id)
    const stream = (await target.attach({stream: true, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, hijack: true})) as Duplex
    const process = this.pipes(stream, req)
    const exit = target.wait().then((r: {StatusCode: number}) => r.StatusCode)
    return {
      ...process,
      resize: req.tty ? (cols, rows) => void target.resize({w: cols, h: rows}).catch(() => undefined) : undefined,
      exit,
      // Detach: the container's main process keeps running, as with kubectl attach.
      kill: () => stream.destroy(),
    }
  }

  async portForward(target: PortForwardTarget): Promise<Duplex> {
    const containers = await this.runtime.list({podUid: target.podUid})
    const podIP = containers.find((c) => c.podIP)?.podIP
    if (!podIP) throw new DockerRuntimeError(`pod ${target.namespace}/${target.pod} has no IP (is it running?)`, 'NotFound')
    const socket = connect({host: podIP, port: target.port})
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return socket
  }

  private get docker(): Docker {
    return this.runtime.docker
  }

  private async runningContainer(req: {namespace: string; pod: string; podUid: string; container: string}): Promise<RuntimeContainer> {
    const held = await this.runtime.list({podUid: req.podUid})
    const running = instancesOf(held, req.container).find((c) => c.state.state === 'running')
    if (!running) throw new DockerRuntimeError(`container ${req.container} is not running in pod ${req.namespace}/${req.pod}`, 'NotFound')
    return running
  }

  /** The hijacked stream as stdin/stdout/stderr: a TTY stream is raw, any other carries Docker's 8-byte frame headers. */
  private pipes(stream: Duplex, req: {stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean}): Pick<ExecProcess, 'stdin' | 'stdout' | 'stderr'> {
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    if (req.tty) stream.pipe(stdout)
    else {
      this.docker.modem.demuxStream(stream, stdout, stderr)
      stream.on('end', () => {
        stdout.end()
        stderr.end()
      })
    }
    stream.on('close', () => {
      stdout.end()
      stderr.end()
    })
    // Ending stdin half-closes the connection, which Docker passes on to the process as EOF.
    const stdin = req.stdin ? stdinOf(stream) : undefined
    return {stdin, stdout: req.stdout ? stdout : undefined, stderr: req.stderr && !req.tty ? stderr : undefined}
  }
}

function stdinOf(stream: Duplex): PassThrough {
  const stdin = new PassThrough()
  stdin.on('data', (chunk: Buffer) => stream.write(chunk))
  stdin.on('end', () => stream.end())
  return stdin
}

async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  // The exec's state settles a moment after its stream ends.
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect()
    if (!info.Running && info.ExitCode !== null) return info.ExitCode ?? 0
    await new Promise((r) => setTimeout(r, 20))
  }
  return (await exec.inspect()).ExitCode ?? 1
}
