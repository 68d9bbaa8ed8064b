import {describe, expect, it} from 'vitest'
import {CrashBackoff, goDuration, shouldRestart} from '../../../src/cluster/agent/crash-backoff.js'
import {simulatedExit} from '../../../src/cluster/runtime/simulated/simulated-runtime.js'

const S = 1000

describe('crash back-off', () => {
  it('restarts the first failure at once, then waits 10 s, 20 s, 40 s ... up to 5 minutes', () => {
    const b = new CrashBackoff()
    let t = 0
    expect(b.inBackOffSince('c', t, t)).toBe(false)
    b.next('c', t, t)
    const windows: number[] = []
    for (let i = 0; i < 8; i++) {
      t += S // the restarted container fails one second later
      expect(b.inBackOffSince('c', t, t + b.windowMs('c') - 1)).toBe(true)
      expect(b.inBackOffSince('c', t, t + b.windowMs('c'))).toBe(false)
      windows.push(b.windowMs('c') / S)
      t += b.windowMs('c')
      b.next('c', t - b.windowMs('c'), t)
    }
    expect(windows).toEqual([10, 20, 40, 80, 160, 300, 300, 300])
  })

  it('starts over at 10 s when the container ran for more than 10 minutes after its last restart', () => {
    const b = new CrashBackoff()
    b.next('c', 0, 0)
    b.next('c', 1 * S, 11 * S)
    expect(b.windowMs('c')).toBe(20 * S)
    const failedAt = 11 * S + 10 * 60 * S + 1
    expect(b.inBackOffSince('c', failedAt, failedAt)).toBe(false)
    b.next('c', failedAt, failedAt)
    expect(b.windowMs('c')).toBe(10 * S)
  })

  it('keeps one window per key and forgets a pod\'s keys by prefix', () => {
    const b = new CrashBackoff()
    b.next('uid-1/a', 0, 0)
    b.next('uid-1/a', 5 * S, 5 * S)
    b.next('uid-2/a', 0, 0)
    expect(b.windowMs('uid-1/a')).toBe(20 * S)
    expect(b.windowMs('uid-2/a')).toBe(10 * S)
    b.forget('uid-1/')
    expect(b.inBackOffSince('uid-1/a', 5 * S, 6 * S)).toBe(false)
    expect(b.inBackOffSince('uid-2/a', 0, 1 * S)).toBe(true)
  })

  it('follows the restart policy', () => {
    expect(shouldRestart('Always', 0)).toBe(true)
    expect(shouldRestart(undefined, 1)).toBe(true)
    expect(shouldRestart('OnFailure', 0)).toBe(false)
    expect(shouldRestart('OnFailure', 2)).toBe(true)
    expect(shouldRestart('Never', 1)).toBe(false)
  })

  it('prints durations as Go does in the CrashLoopBackOff message', () => {
    expect(goDuration(10 * S)).toBe('10s')
    expect(goDuration(80 * S)).toBe('1m20s')
    expect(goDuration(300 * S)).toBe('5m0s')
  })
})

describe('simulated exits', () => {
  it('exits only for sh -c scripts of the form [sleep S;] exit N', () => {
    expect(simulatedExit({command: ['sh', '-c', 'exit 3']})).toEqual({afterMs: 0, exitCode: 3})
    expect(simulatedExit({command: ['/bin/sh', '-c'], args: ['sleep 2; exit 1']})).toEqual({afterMs: 2000, exitCode: 1})
    expect(simulatedExit({command: ['sh', '-c', 'sleep 0.5 && exit 0']})).toEqual({afterMs: 500, exitCode: 0})
    expect(simulatedExit({command: ['sh', '-c', 'httpd -f; exit 1']})).toBeUndefined()
    expect(simulatedExit({command: ['sleep', '3600']})).toBeUndefined()
    expect(simulatedExit({})).toBeUndefined()
  })
})
