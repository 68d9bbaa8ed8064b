import type Dockerode from 'dockerode'
import {describe, expect, it} from 'vitest'
import {FIX_ENGINE_DOWN, FIX_PERMISSION, dockerAvailability, unavailable} from '../../../../src/cluster/runtime/docker/availability.js'

const failing = (error: Error) => ({ping: async () => Promise.reject(error)}) as unknown as Dockerode

describe('Docker availability', () => {
  it('tells the user to join the docker group when the socket is not theirs', async () => {
    const error = Object.assign(new Error('connect EACCES /var/run/docker.sock'), {code: 'EACCES'})
    expect(await dockerAvailability(failing(error))).toEqual({ok: false, reason: expect.stringContaining('permission denied'), fix: FIX_PERMISSION})
    expect(FIX_PERMISSION).toContain('sudo usermod -aG docker $USER')
  })

  it('tells the user to start Docker when nothing listens on the socket', () => {
    for (const code of ['ENOENT', 'ECONNREFUSED']) {
      expect(unavailable(Object.assign(new Error(`connect ${code}`), {code}))).toMatchObject({ok: false, fix: FIX_ENGINE_DOWN})
    }
  })

  it('gives up on an engine that does not answer in time', async () => {
    const silent = {ping: () => new Promise(() => {})} as unknown as Dockerode
    const result = await dockerAvailability(silent, 20)
    expect(result).toMatchObject({ok: false, reason: expect.stringContaining('did not answer within 20 ms')})
  })

  it('is ok when the engine answers the ping', async () => {
    expect(await dockerAvailability({ping: async () => 'OK'} as unknown as Dockerode)).toEqual({ok: true})
  })
})
