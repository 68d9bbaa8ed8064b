import {describe, expect, it} from 'vitest'
import {execProbe, type ExecInContainer} from '../../../../src/cluster/agent/probes/exec-probe.js'

const answering = (exitCode: number, output: string): ExecInContainer => async () => ({exitCode, output})

describe('execProbe', () => {
  it('succeeds on exit 0', async () => {
    expect(await execProbe(answering(0, 'ok\n'), ['true'], 1000)).toEqual({result: 'success', output: 'ok'})
  })

  it('fails on another exit code with the trimmed output as the message', async () => {
    const outcome = await execProbe(answering(1, "cat: can't open '/tmp/healthy': No such file or directory\n"), ['cat', '/tmp/healthy'], 1000)
    expect(outcome).toEqual({result: 'failure', output: "cat: can't open '/tmp/healthy': No such file or directory"})
  })

  it('keeps only the first 10 KiB of the output', async () => {
    const outcome = await execProbe(answering(1, 'x'.repeat(20_000)), ['sh'], 1000)
    expect(outcome.output).toHaveLength(10 * 1024)
  })

  it('fails with the kubelet\'s timeout message and aborts the exec when the command runs too long', async () => {
    let aborted = false
    const hanging: ExecInContainer = (_command, _timeout, signal) =>
      new Promise(() => signal.addEventListener('abort', () => (aborted = true)))
    const outcome = await execProbe(hanging, ['sh', '-c', 'sleep 10'], 50)
    expect(outcome).toEqual({result: 'failure', output: 'command "sh -c sleep 10" timed out'})
    expect(aborted).toBe(true)
  })

  it('reports an exec that could not run as an error, not a failure', async () => {
    const broken: ExecInContainer = async () => {
      throw new Error('container abc is not running')
    }
    expect(await execProbe(broken, ['true'], 1000)).toEqual({result: 'error', output: 'container abc is not running'})
  })
})
