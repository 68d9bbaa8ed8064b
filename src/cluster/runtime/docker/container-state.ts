// Docker's view of a container's process, in the ContainerState the agent understands (and the reason
// strings the kubelet writes into containerStatuses[].state.terminated.reason).
import type {ContainerInspectInfo} from 'dockerode'
import type {ContainerState} from '../runtime.js'

/** Docker's zero time, written for StartedAt/FinishedAt that never happened. */
const NEVER = '0001-01-01T00:00:00Z'

type DockerState = Pick<ContainerInspectInfo['State'], 'Status' | 'ExitCode' | 'OOMKilled' | 'StartedAt' | 'FinishedAt' | 'Error'>

export function containerState(state: DockerState, now: Date): ContainerState {
  const startedAt = dockerTime(state.StartedAt)
  switch (state.Status) {
    case 'running':
    case 'paused':
    case 'restarting':
      return {state: 'running', startedAt: startedAt ?? now}
    case 'created':
      // A start that failed (no such executable, bad working dir) leaves the container `created` with
      // an error; it will never run, so it is reported terminated, as containerd's StartError is.
      if (!state.Error) return {state: 'created'}
      return {state: 'exited', finishedAt: dockerTime(state.FinishedAt) ?? now, exitCode: state.ExitCode || 128, reason: 'StartError'}
    default: // exited, dead, removing
      return {state: 'exited', startedAt, finishedAt: dockerTime(state.FinishedAt) ?? now, exitCode: state.ExitCode, reason: exitReason(state)}
  }
}

export function exitReason(state: Pick<DockerState, 'ExitCode' | 'OOMKilled'>): string {
  if (state.OOMKilled) return 'OOMKilled'
  return state.ExitCode === 0 ? 'Completed' : 'Error'
}

function dockerTime(text: string | undefined): Date | undefined {
  if (!text || text.startsWith(NEVER.slice(0, 4))) return undefined
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? undefined : date
}
