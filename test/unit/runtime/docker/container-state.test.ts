import {describe, expect, it} from 'vitest'
import {containerState} from '../../../../src/cluster/runtime/docker/container-state.js'

const now = new Date('2026-01-01T00:00:00Z')
const never = '0001-01-01T00:00:00Z'
const base = {ExitCode: 0, OOMKilled: false, StartedAt: never, FinishedAt: never, Error: ''}

describe('Docker container state', () => {
  it('reports a created container as created', () => {
    expect(containerState({...base, Status: 'created'}, now)).toEqual({state: 'created'})
  })

  it('reports a running container with its start time', () => {
    expect(containerState({...base, Status: 'running', StartedAt: '2026-01-01T10:00:00.123456789Z'}, now)).toEqual({state: 'running', startedAt: new Date('2026-01-01T10:00:00.123Z')})
  })

  it('reports exit 0 as Completed and other codes as Error, with both times', () => {
    const times = {StartedAt: '2026-01-01T10:00:00Z', FinishedAt: '2026-01-01T10:00:05Z'}
    expect(containerState({...base, ...times, Status: 'exited'}, now)).toEqual({state: 'exited', startedAt: new Date(times.StartedAt), finishedAt: new Date(times.FinishedAt), exitCode: 0, reason: 'Completed'})
    expect(containerState({...base, ...times, Status: 'exited', ExitCode: 3}, now)).toMatchObject({exitCode: 3, reason: 'Error'})
  })

  it('reports an OOM kill as OOMKilled whatever the exit code', () => {
    expect(containerState({...base, Status: 'exited', ExitCode: 137, OOMKilled: true, FinishedAt: '2026-01-01T10:00:05Z'}, now)).toMatchObject({state: 'exited', exitCode: 137, reason: 'OOMKilled'})
  })

  it('reports a container that could not start as a StartError exit', () => {
    expect(containerState({...base, Status: 'created', ExitCode: 127, Error: 'exec: "/nope": no such file'}, now)).toEqual({state: 'exited', finishedAt: now, exitCode: 127, reason: 'StartError'})
    expect(containerState({...base, Status: 'created', ExitCode: 0, Error: 'bad working dir'}, now)).toMatchObject({exitCode: 128})
  })

  it('treats Docker zero times as absent', () => {
    expect(containerState({...base, Status: 'dead', ExitCode: 1}, now)).toEqual({state: 'exited', startedAt: undefined, finishedAt: now, exitCode: 1, reason: 'Error'})
  })
})
