import type Docker from 'dockerode'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {systemClock} from '../../../../src/cluster/clock.js'
import {ContainerEvents} from '../../../../src/cluster/runtime/docker/container-events.js'
import type {RuntimeContainer} from '../../../../src/cluster/runtime/runtime.js'

/** An engine whose event streams the test writes to; records each request's options. */
function fakeEngine() {
  const streams: PassThrough[] = []
  const requests: Array<{since?: number; filters: {label: string[]}}> = []
  const docker = {
    getEvents: async (opts: {since?: number; filters: {label: string[]}}) => {
      requests.push(opts)
      const stream = new PassThrough()
      streams.push(stream)
      return stream
    },
  }
  return {docker: docker as unknown as Docker, streams, requests}
}

const container = (id: string) => ({id, spec: {namespace: 'default', podName: id, podUid: 'u', containerName: 'c', image: 'i', restartCount: 0}, state: {state: 'exited', finishedAt: new Date(0), exitCode: 1, reason: 'Error'}}) as RuntimeContainer

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(check()).toBe(true)
}

describe('ContainerEvents', () => {
  it('reports each die event once, even when a line arrives in pieces', async () => {
    const {docker, streams, requests} = fakeEngine()
    const events = new ContainerEvents({docker, cluster: 'dev', clock: systemClock, describe: async (id) => container(id)})
    const seen: string[] = []
    const unsubscribe = events.subscribe((c) => seen.push(c.id))
    await until(() => streams.length === 1)
    // Every container of the cluster: a sandbox's death matters to its pod too (describe maps it to the pod's containers).
    expect(requests[0].filters.label).toEqual(['kcluster.io/cluster=dev'])
    streams[0].write('{"id":"a","time":100}\n{"id":"b",')
    streams[0].write('"time":101}\n')
    await until(() => seen.length === 2)
    expect(seen).toEqual(['a', 'b'])
    unsubscribe()
  })

  it('reconnects after the stream ends, asking for events since the last one it saw', async () => {
    const {docker, streams, requests} = fakeEngine()
    const events = new ContainerEvents({docker, cluster: 'dev', clock: systemClock, describe: async (id) => container(id), reconnectDelayMs: 10})
    const unsubscribe = events.subscribe(() => undefined)
    await until(() => streams.length === 1)
    streams[0].write('{"id":"a","time":100}\n')
    streams[0].end()
    await until(() => streams.length === 2)
    expect(requests[1].since).toBe(100)
    unsubscribe()
  })

  it('reports every container after a reconnect, since an engine restart loses the events in between', async () => {
    const {docker, streams} = fakeEngine()
    const relisted = [container('x'), container('y')]
    const events = new ContainerEvents({docker, cluster: 'dev', clock: systemClock, describe: async (id) => container(id), relist: async () => relisted, reconnectDelayMs: 10})
    const seen: string[] = []
    const unsubscribe = events.subscribe((c) => seen.push(c.id))
    await until(() => streams.length === 1)
    expect(seen).toEqual([]) // the first connection is not a reconnect
    streams[0].end()
    await until(() => seen.length === 2)
    expect(seen.sort()).toEqual(['x', 'y'])
    unsubscribe()
  })

  it('skips containers that are gone and closes the stream when the last listener leaves', async () => {
    const {docker, streams} = fakeEngine()
    const events = new ContainerEvents({docker, cluster: 'dev', clock: systemClock, describe: async (id) => (id === 'gone' ? undefined : container(id))})
    const seen: string[] = []
    const first = events.subscribe((c) => seen.push(c.id))
    const second = events.subscribe(() => undefined)
    await until(() => streams.length === 1)
    streams[0].write('{"id":"gone","time":1}\n{"id":"here","time":2}\n')
    await until(() => seen.length === 1)
    expect(seen).toEqual(['here'])
    first()
    expect(streams[0].destroyed).toBe(false)
    second()
    expect(streams[0].destroyed).toBe(true)
    await new Promise((r) => setTimeout(r, 30))
    expect(streams).toHaveLength(1)
  })
})
