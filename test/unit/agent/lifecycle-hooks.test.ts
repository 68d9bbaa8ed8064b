import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {runHook} from '../../../src/cluster/agent/lifecycle-hooks.js'

const pod = {metadata: {name: 'web', namespace: 'default', uid: 'u-1'}, spec: {containers: []}} as Pod
const container = {name: 'app'} as Container

describe('lifecycle hooks', () => {
  it('answers nothing for a hook command that exits 0, and the kubelet message for one that fails', async () => {
    const ok = await runHook({exec: {command: ['true']}}, {pod, container, exec: async () => ({exitCode: 0, output: ''}), sleep: async () => undefined}, 1000)
    expect(ok).toBeUndefined()
    const failed = await runHook({exec: {command: ['sh', '-c', 'exit 3']}}, {pod, container, exec: async () => ({exitCode: 3, output: 'boom\n'}), sleep: async () => undefined}, 1000)
    expect(failed).toBe(`Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "web_default(u-1)" failed - error: command 'sh -c exit 3' exited with 3: boom, message: "boom"`)
  })

  it('sleeps for a sleep action and reports an HTTP hook with no pod IP as failed', async () => {
    const slept: number[] = []
    expect(await runHook({sleep: {seconds: 2}}, {pod, container, exec: async () => ({exitCode: 0, output: ''}), sleep: async (ms) => void slept.push(ms)}, 5000)).toBeUndefined()
    expect(slept).toEqual([2000])
    const http = await runHook({httpGet: {path: '/stop', port: 8080}}, {pod, container, exec: async () => ({exitCode: 0, output: ''}), sleep: async () => undefined}, 1000)
    expect(http).toContain('HTTP lifecycle hook (/stop) for Container "app" in Pod "web_default(u-1)" failed')
  })
})
