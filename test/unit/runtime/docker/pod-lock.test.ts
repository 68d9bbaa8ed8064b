import {describe, expect, it} from 'vitest'
import {PodLock} from '../../../../src/cluster/runtime/docker/pod-lock.js'

const tick = () => new Promise((r) => setImmediate(r))

describe('PodLock', () => {
  it('runs tasks of one pod one after another, in call order', async () => {
    const lock = new PodLock()
    const log: string[] = []
    const task = (name: string) => async () => {
      log.push(`${name} in`)
      await tick()
      await tick()
      log.push(`${name} out`)
      return name
    }
    expect(await Promise.all([lock.run('p', task('a')), lock.run('p', task('b'))])).toEqual(['a', 'b'])
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out'])
  })

  it('runs tasks of different pods concurrently', async () => {
    const lock = new PodLock()
    const log: string[] = []
    const task = (name: string) => async () => {
      log.push(`${name} in`)
      await tick()
      log.push(`${name} out`)
    }
    await Promise.all([lock.run('p', task('a')), lock.run('q', task('b'))])
    expect(log.slice(0, 2)).toEqual(['a in', 'b in'])
  })

  it('lets the next task run after one fails, and passes the failure to its caller', async () => {
    const lock = new PodLock()
    const failed = lock.run('p', async () => {
      throw new Error('boom')
    })
    const next = lock.run('p', async () => 'ran')
    await expect(failed).rejects.toThrow('boom')
    expect(await next).toBe('ran')
  })
})
