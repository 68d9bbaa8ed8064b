import {mkdtempSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {logTail, terminationLogMount, terminationMessage} from '../../../../src/cluster/agent/container-config/termination-message.js'

const podsDir = () => mkdtempSync(join(tmpdir(), 'kcluster-term-'))
const noLogs = async () => {
  throw new Error('logs must not be read')
}

describe('termination messages', () => {
  it('mounts an empty, world-writable file per instance at the container path (default /dev/termination-log)', async () => {
    const dir = podsDir()
    const first = await terminationLogMount(dir, 'uid-1', {name: 'app'}, 0)
    const custom = await terminationLogMount(dir, 'uid-1', {name: 'app', terminationMessagePath: '/tmp/why'}, 1)
    expect(first).toMatchObject({containerPath: '/dev/termination-log', readOnly: false})
    expect(custom.containerPath).toBe('/tmp/why')
    expect(custom.hostPath).not.toBe(first.hostPath)
    expect(statSync(first.hostPath).size).toBe(0)
    expect(statSync(first.hostPath).mode & 0o777).toBe(0o666)
  })

  it('reads what the instance wrote, at most 4 KiB, without looking at the logs', async () => {
    const dir = podsDir()
    const mount = await terminationLogMount(dir, 'uid-1', {name: 'app'}, 2)
    writeFileSync(mount.hostPath, 'x'.repeat(5000))
    const message = await terminationMessage(dir, 'uid-1', {name: 'app', terminationMessagePolicy: 'FallbackToLogsOnError'}, {restartCount: 2, exitCode: 1}, noLogs)
    expect(message).toBe('x'.repeat(4096))
  })

  it('falls back to the log tail only under FallbackToLogsOnError and a failed exit', async () => {
    const dir = podsDir()
    await terminationLogMount(dir, 'uid-1', {name: 'app'}, 0)
    const logs = async () => 'one\ntwo\n'
    expect(await terminationMessage(dir, 'uid-1', {name: 'app', terminationMessagePolicy: 'FallbackToLogsOnError'}, {restartCount: 0, exitCode: 2}, logs)).toBe('one\ntwo\n')
    expect(await terminationMessage(dir, 'uid-1', {name: 'app', terminationMessagePolicy: 'FallbackToLogsOnError'}, {restartCount: 0, exitCode: 0}, noLogs)).toBeUndefined()
    expect(await terminationMessage(dir, 'uid-1', {name: 'app'}, {restartCount: 0, exitCode: 2}, noLogs)).toBeUndefined()
  })

  it('keeps the last 80 lines and then the last 2 KiB of the output', () => {
    const lines = Array.from({length: 100}, (_, i) => `line ${i}`).join('\n') + '\n'
    const tail = logTail(lines)
    expect(tail.split('\n')[0]).toBe('line 20')
    expect(tail.endsWith('line 99\n')).toBe(true)
    expect(logTail('y'.repeat(3000))).toBe('y'.repeat(2048))
  })
})
