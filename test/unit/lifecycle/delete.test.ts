import type Dockerode from 'dockerode'
import {access, mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {deleteCluster} from '../../../src/cluster/lifecycle/delete.js'
import {statePaths, writeConfig} from '../../../src/cluster/lifecycle/state-dir.js'

/** An engine with no containers and the cluster's network, whose endpoint goes only if `phantom` is false. */
function engineWithNetwork(phantom: boolean) {
  let networks = [{Id: 'abcdef0123456789', Name: 'kcluster-dev'}]
  const endpoints = new Map([['ep-9', 'k8s_POD_gone']])
  const docker = {
    listContainers: async () => [],
    listNetworks: async () => networks,
    getNetwork: () => ({
      inspect: async () => ({...networks[0], Containers: Object.fromEntries([...endpoints].map(([k, name]) => [k, {Name: name}]))}),
      disconnect: async () => {
        if (!phantom) endpoints.clear()
      },
      remove: async () => {
        if (endpoints.size > 0) throw Object.assign(new Error('(HTTP code 403) unexpected - error while removing network: network kcluster-dev id abcdef0123456789 has active endpoints'), {statusCode: 403})
        networks = []
      },
    }),
    getImage: () => ({remove: async () => undefined}),
  } as unknown as Dockerode
  return {docker, networks: () => networks}
}

describe('kcluster delete of a Docker cluster', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'kcluster-delete-'))
  })
  afterEach(async () => {
    await rm(home, {recursive: true, force: true})
  })

  it('removes the network once its endpoints are disconnected by force, and the state dir', async () => {
    const p = statePaths('dev', home)
    await writeConfig(p, {name: 'dev', driver: 'docker', port: 1, createdAt: ''})
    const fake = engineWithNetwork(false)
    const result = await deleteCluster('dev', {home, env: {KUBECONFIG: path.join(home, 'kubeconfig')}, docker: fake.docker, networkRetryDelayMs: 0})
    expect(result.deleted).toBe(true)
    expect(fake.networks()).toEqual([])
    await expect(access(p.dir)).rejects.toThrow()
  })

  it('fails with DeleteIncomplete naming the network and the fix when an endpoint stays, and keeps the state dir for a second delete', async () => {
    const p = statePaths('dev', home)
    await writeConfig(p, {name: 'dev', driver: 'docker', port: 1, createdAt: ''})
    const fake = engineWithNetwork(true)
    const failed = deleteCluster('dev', {home, env: {KUBECONFIG: path.join(home, 'kubeconfig')}, docker: fake.docker, networkRetryDelayMs: 0})
    await expect(failed).rejects.toMatchObject({
      name: 'ClusterError',
      code: 'DeleteIncomplete',
      message: expect.stringContaining('kcluster-dev (abcdef012345) with endpoints k8s_POD_gone could not be removed: (HTTP code 403)'),
      fix: expect.stringContaining('then run kcluster delete --name dev again, or remove the network yourself: docker network rm abcdef012345'),
    })
    await access(p.dir)
  })
})
