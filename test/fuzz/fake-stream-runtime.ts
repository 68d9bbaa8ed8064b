// A StreamRuntime with no processes: exec and attach are `cat` (stdin echoed to stdout, exit 0 at stdin
// EOF), port-forward is an echo socket. It lets the fuzzer reach the frame handling behind a successful
// handshake on a simulated cluster, which otherwise has no containers to stream from.
import {Duplex, PassThrough} from 'node:stream'
import type {ExecProcess, ExecRequest, StreamRuntime} from '../../src/cluster/apiserver/streams/stream-runtime.js'

export class EchoStreamRuntime implements StreamRuntime {
  async exec(req: ExecRequest): Promise<ExecProcess> {
    return catProcess(req.stdin)
  }

  async attach(req: Omit<ExecRequest, 'command'>): Promise<ExecProcess> {
    return catProcess(req.stdin)
  }

  async portForward(): Promise<Duplex> {
    const pipe = new PassThrough()
    return Duplex.from({readable: pipe, writable: pipe})
  }
}

function catProcess(withStdin: boolean): ExecProcess {
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdin.pipe(stdout)
  stderr.end()
  let settle: (code: number) => void = () => undefined
  const exit = new Promise<number>((resolve) => (settle = resolve))
  stdout.on('end', () => settle(0))
  if (!withStdin) stdin.end()
  return {
    stdin: withStdin ? stdin : undefined,
    stdout,
    stderr,
    exit,
    resize: () => undefined,
    kill: () => {
      stdin.destroy()
      stdout.destroy()
      settle(137)
    },
  }
}
