// tcpSocket probes as pkg/probe/tcp does them: open a connection within the timeout, close it at once.
import {connect} from 'node:net'
import {dialErrorText, joinHostPort} from './go-net-errors.js'
import {failure, success, type ProbeOutcome} from './probe-outcome.js'

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const hostPort = joinHostPort(host, port)
  return new Promise((resolve) => {
    const socket = connect({host, port})
    const finish = (outcome: ProbeOutcome) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => finish(failure(`dial tcp ${hostPort}: i/o timeout`)), timeoutMs)
    socket.once('connect', () => finish(success()))
    socket.once('error', (error) => finish(failure(dialErrorText(error, hostPort))))
  })
}
