import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import type {ExecProcess, ExecRequest} from '../../../../src/cluster/apiserver/streams/stream-runtime.js'
import {execViaStreams} from '../../../../src/cluster/agent/probes/exec-via-streams.js'
import type {ProbeTarget} from '../../../../src/cluster/agent/probes/probe-manager.js'

const target: ProbeTarget = {podUid: 'u1', namespace: 'ns', podName: 'web', container: {name: 'app'}, containerId: 'c1', startedAt: new Date()}

/** A streaming runtime whose processes write `out`/`err` and exit with `code`, or hang until killed. */
function fakeStreams(behaviour: {out?: string; err?: string; code?: number; hang?: boolean}) {
  const requests: ExecRequest[] = []
  let killed = false
  const streams = {
    exec: async (req: ExecRequest): Promise<ExecProcess> => {
      requests.push(req)
      const stdout = new PassThrough()
      const stderr = new PassThrough()
      let exit: (code: number) => void = () => undefined
      const exited = new Promise<number>((r) => (exit = r))
      setImmediate(() => {
        if (behaviour.out) stdout.write(behaviour.out)
        if (behaviour.err) stderr.write(behaviour.err)
        if (behaviour.hang) return
        stdout.end()
        stderr.end()
        exit(behaviour.code ?? 0)
      })
      return {stdout, stderr, exit: exited, kill: () => {
        killed = true
        stdout.end()
        stderr.end()
        exit(137)
      }}
    },
  }
  return {streams, requests, killed: () => killed}
}

describe('execViaStreams', () => {
  it('runs the command in the target container and returns the exit code with stdout and stderr together', async () => {
    const fake = fakeStreams({out: 'partial ', err: 'cat: no such file\n', code: 1})
    const result = await execViaStreams(fake.streams)(target, ['cat', '/tmp/x'], 1000)
    expect(result).toEqual({exitCode: 1, output: 'partial cat: no such file\n'})
    expect(fake.requests).toEqual([{namespace: 'ns', pod: 'web', podUid: 'u1', container: 'app', command: ['cat', '/tmp/x'], stdin: false, stdout: true, stderr: true, tty: false}])
  })

  it('kills the process when the probe gives up on it', async () => {
    const fake = fakeStreams({hang: true})
    const controller = new AbortController()
    const running = execViaStreams(fake.streams)(target, ['sleep', '60'], 1000, controller.signal)
    await new Promise((r) => setImmediate(r))
    controller.abort()
    expect((await running).exitCode).toBe(137)
    expect(fake.killed()).toBe(true)
  })
})
