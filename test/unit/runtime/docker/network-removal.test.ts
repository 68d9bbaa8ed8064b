import type Dockerode from 'dockerode'
import {describe, expect, it} from 'vitest'
import {describeNetworksLeft, removeClusterNetworks} from '../../../../src/cluster/runtime/docker/network-removal.js'

interface FakeNetwork {
  id: string
  name: string
  /** Endpoint key (container id) → container name. */
  endpoints: Map<string, string>
  /** Endpoints a forced disconnect does not clear (the engine keeps them), until `clearsAfter` more rounds. */
  stuck?: Set<string>
  clearsAfter?: number
}

/** An engine holding these networks: remove fails with "has active endpoints" while one is left, as Docker's does. */
function engine(networks: FakeNetwork[]) {
  const calls: string[] = []
  const docker = {
    listNetworks: async (opts: {filters: {label: string[]}}) => {
      calls.push(`list ${opts.filters.label.join(',')}`)
      return networks.map((n) => ({Id: n.id, Name: n.name}))
    },
    getNetwork: (id: string) => {
      const network = () => networks.find((n) => n.id === id)
      const gone = () => Object.assign(new Error(`(HTTP code 404) no such network - network ${id} not found`), {statusCode: 404})
      return {
        inspect: async () => {
          const n = network()
          if (!n) throw gone()
          return {Id: n.id, Name: n.name, Containers: Object.fromEntries([...n.endpoints].map(([key, name]) => [key, {Name: name}]))}
        },
        disconnect: async (opts: {Container: string; Force: boolean}) => {
          calls.push(`disconnect ${opts.Container} force=${opts.Force}`)
          const n = network()!
          for (const [key, name] of n.endpoints) {
            if (name !== opts.Container && key !== opts.Container) continue
            if (n.stuck?.has(name) && (n.clearsAfter ?? Infinity) > 0) {
              n.clearsAfter = (n.clearsAfter ?? Infinity) - 1
              throw Object.assign(new Error('(HTTP code 500) server error - container is not connected'), {statusCode: 500})
            }
            n.endpoints.delete(key)
          }
        },
        remove: async () => {
          const n = network()
          if (!n) throw gone()
          calls.push(`remove ${id}`)
          if (n.endpoints.size > 0) throw Object.assign(new Error(`(HTTP code 403) unexpected - error while removing network: network ${n.name} id ${n.id} has active endpoints`), {statusCode: 403})
          networks.splice(networks.indexOf(n), 1)
        },
      }
    },
  } as unknown as Dockerode
  return {docker, calls, networks}
}

const noWait = {sleep: async () => undefined}

describe('removeClusterNetworks', () => {
  it('disconnects every endpoint by force, also one whose container is gone, before removing the network', async () => {
    const fake = engine([{id: 'n1', name: 'kcluster-dev', endpoints: new Map([['c1', 'k8s_POD_a'], ['ep-phantom', '']])}])
    const result = await removeClusterNetworks(fake.docker, 'dev', noWait)
    expect(result).toEqual({removed: 1, left: []})
    expect(fake.calls).toEqual(['list kcluster.io/cluster=dev', 'disconnect k8s_POD_a force=true', 'disconnect ep-phantom force=true', 'remove n1'])
  })

  it('leaves networks of other names alone, and counts a network already gone as removed', async () => {
    const fake = engine([{id: 'n1', name: 'kcluster-dev', endpoints: new Map()}, {id: 'n2', name: 'something-else', endpoints: new Map()}])
    expect(await removeClusterNetworks(fake.docker, 'dev', noWait)).toEqual({removed: 1, left: []})
    expect(fake.networks.map((n) => n.name)).toEqual(['something-else'])
    expect(await removeClusterNetworks(fake.docker, 'dev', noWait)).toEqual({removed: 0, left: []})
  })

  it('retries a network whose endpoint the engine lets go only later, waiting between rounds', async () => {
    const waits: number[] = []
    const fake = engine([{id: 'n1', name: 'kcluster-dev', endpoints: new Map([['c1', 'slow']]), stuck: new Set(['slow']), clearsAfter: 2}])
    const result = await removeClusterNetworks(fake.docker, 'dev', {delayMs: 250, sleep: async (ms) => void waits.push(ms)})
    expect(result).toEqual({removed: 1, left: []})
    expect(waits).toEqual([250, 250])
    expect(fake.calls.filter((c) => c.startsWith('remove'))).toEqual(['remove n1', 'remove n1', 'remove n1'])
  })

  it('gives up after the bounded number of rounds and reports the network, its endpoints and the engine\'s answer', async () => {
    const fake = engine([{id: 'f00dfeedbeef0123', name: 'kcluster-dev', endpoints: new Map([['ep-1', 'k8s_POD_ghost']]), stuck: new Set(['k8s_POD_ghost'])}])
    const result = await removeClusterNetworks(fake.docker, 'dev', {attempts: 3, ...noWait})
    expect(result.removed).toBe(0)
    expect(result.left).toEqual([{id: 'f00dfeedbeef0123', name: 'kcluster-dev', endpoints: ['k8s_POD_ghost'], error: expect.stringContaining('has active endpoints')}])
    expect(fake.calls.filter((c) => c.startsWith('remove'))).toHaveLength(3)
  })
})

describe('describeNetworksLeft', () => {
  it('names the network and its endpoints, and says how to clear it', () => {
    const {message, fix} = describeNetworksLeft([{id: 'f00dfeedbeef0123', name: 'kcluster-dev', endpoints: ['k8s_POD_ghost'], error: 'network kcluster-dev has active endpoints'}], 'kcluster delete --name dev')
    expect(message).toBe('the Docker network kcluster-dev (f00dfeedbeef) with endpoints k8s_POD_ghost could not be removed: network kcluster-dev has active endpoints')
    expect(fix).toBe('restart the Docker engine (sudo systemctl restart docker), which drops endpoints whose containers are gone, then run kcluster delete --name dev again, or remove the network yourself: docker network rm f00dfeedbeef')
  })
})
