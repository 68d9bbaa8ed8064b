// One exec or attach, independent of the wire: copy stdin to the process and its output to the
// client, forward resizes, and end with the Status that carries the exit code.
import {finished, type Readable, type Writable} from 'node:stream'
import {logger} from '../../log.js'
import {internalErrorStatus, nonZeroExitStatus, successStatus, type ExecStatus} from './exec-status.js'
import type {ExecProcess} from './stream-runtime.js'

const log = logger('exec-session')

/** How long output may keep draining after the process exited (a grandchild can hold the pipe). */
const DRAIN_AFTER_EXIT_MS = 5_000

/** The client side of a session, as WebSocket channels or SPDY streams. */
export interface ExecTransport {
  stdin?: Readable
  stdout?: Writable
  stderr?: Writable
  onResize(listener: (size: {width: number; height: number}) => void): void
  /** Sends the final Status (after stdout/stderr ended) and closes the connection. */
  finish(status: ExecStatus): Promise<void>
  /** Resolves when the client disconnects. */
  readonly clientGone: Promise<void>
  /** Drop the connection at once (server shutdown). */
  abort(): void
}

export interface ExecSessionOptions {
  transport: ExecTransport
  start: () => Promise<ExecProcess>
  /** For exec: the command, quoted in the exit-code message. Attach reports Success when the stream ends. */
  command?: string[]
  shutdownSignal: AbortSignal
}

export async function runExecSession(opts: ExecSessionOptions): Promise<void> {
  const {transport} = opts
  const onShutdown = () => transport.abort()
  opts.shutdownSignal.addEventListener('abort', onShutdown, {once: true})
  try {
    let proc: ExecProcess
    try {
      proc = await opts.start()
    } catch (error) {
      log.debug({err: error}, 'exec could not start')
      drain(transport.stdin)
      await finishQuietly(transport, internalErrorStatus(error))
      return
    }
    let gone = false
    void transport.clientGone.then(() => {
      gone = true
      proc.kill()
    })
    wireStdin(transport.stdin, proc.stdin)
    transport.onResize((size) => proc.resize?.(size.width, size.height))
    const outputs = [copyOutput(proc.stdout, transport.stdout), copyOutput(proc.stderr, transport.stderr)]
    let status: ExecStatus
    try {
      const code = await proc.exit
      status = code === 0 || opts.command === undefined ? successStatus() : nonZeroExitStatus(opts.command, code)
    } catch (error) {
      status = internalErrorStatus(error)
    }
    await withTimeout(Promise.all(outputs), DRAIN_AFTER_EXIT_MS)
    if (!gone) await finishQuietly(transport, status)
  } finally {
    opts.shutdownSignal.removeEventListener('abort', onShutdown)
  }
}

function wireStdin(from: Readable | undefined, to: Writable | undefined): void {
  if (!from) return
  if (!to) return drain(from)
  // The process may exit without reading its stdin; EPIPE then is not the client's concern.
  to.on('error', (error) => log.debug({err: error}, 'process stdin closed early'))
  from.on('error', () => to.end())
  from.pipe(to)
}

/** Copies one output pipe to the client and ends the client's stream when the pipe ends. */
function copyOutput(from: Readable | undefined, to: Writable | undefined): Promise<void> {
  if (!to) {
    if (from) drain(from)
    return Promise.resolve()
  }
  to.on('error', (error) => log.debug({err: error}, 'client output stream failed'))
  if (!from) {
    to.end()
    return Promise.resolve()
  }
  from.pipe(to)
  // Only the writable side: a SPDY stream's readable side stays open until the client hangs up.
  return new Promise((resolve) => finished(to, {readable: false}, () => resolve()))
}

function drain(stream: Readable | undefined): void {
  stream?.on('error', () => undefined)
  stream?.resume()
}

async function finishQuietly(transport: ExecTransport, status: ExecStatus): Promise<void> {
  try {
    await transport.finish(status)
  } catch (error) {
    log.debug({err: error}, 'could not deliver the exec status')
    transport.abort()
  }
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    void promise.finally(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}
