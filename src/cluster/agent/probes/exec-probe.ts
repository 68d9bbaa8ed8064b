// exec probes as pkg/probe/exec does them through the runtime's ExecSync: exit 0 is success, any other
// exit a failure whose text is the command's combined output (first 10 KiB); running past the timeout
// is a failure `command "<cmd>" timed out` (the ExecProbeTimeout behaviour, on since 1.20).
import {goQuote} from './probe-spec.js'
import {errored, failure, success, type ProbeOutcome} from './probe-outcome.js'

const MAX_OUTPUT_BYTES = 10 * 1024

/** Runs `command` in the container; resolves with its exit code and combined stdout+stderr. */
export type ExecInContainer = (command: string[], timeoutMs: number, signal: AbortSignal) => Promise<{exitCode: number; output: string}>

export async function execProbe(exec: ExecInContainer, command: string[], timeoutMs: number): Promise<ProbeOutcome> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    const ran = await Promise.race([exec(command, timeoutMs, controller.signal), timedOut])
    if (ran === 'timeout') {
      controller.abort(new Error('exec probe timed out'))
      return failure(`command ${goQuote(command.join(' '))} timed out`)
    }
    const output = limit(ran.output)
    return ran.exitCode === 0 ? success(output) : failure(output)
  } catch (error) {
    return errored(error instanceof Error ? error.message : String(error))
  } finally {
    clearTimeout(timer)
  }
}

/** The first 10 KiB of the output (the kubelet's LimitWriter), trimmed for the event message. */
function limit(output: string): string {
  const bytes = Buffer.from(output, 'utf8')
  const kept = bytes.length > MAX_OUTPUT_BYTES ? bytes.subarray(0, MAX_OUTPUT_BYTES).toString('utf8') : output
  return kept.trim()
}
