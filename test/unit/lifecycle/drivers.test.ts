import {dockerEngineAnswers} from '../../../src/cluster/runtime/docker/engine.js'
import {describe, expect, it} from 'vitest'
import {resolveDriver} from '../../../src/cluster/lifecycle/drivers.js'
import type {DriverEntry} from '../../../src/cluster/runtime/registry.js'
import {DRIVERS} from '../../../src/cluster/runtime/registry.js'

function drivers(docker: {implemented: boolean; answers: boolean; auto?: boolean}): DriverEntry[] {
  return [
    {name: 'docker', description: 'real containers', implemented: docker.implemented, auto: docker.auto ?? true, autoNote: 'the docker driver is a preview (ask for it with --driver docker)', detect: async () => (docker.answers ? {ok: true} : {ok: false, reason: 'the Docker engine is not running (connect ENOENT /var/run/docker.sock)', fix: 'start Docker (sudo systemctl start docker)'})},
    {name: 'sim', description: 'simulated pods', implemented: true, auto: true, detect: async () => ({ok: true})},
  ]
}

describe('resolveDriver', () => {
  it('picks docker for auto when an engine answers and the driver is implemented', async () => {
    expect(await resolveDriver('auto', drivers({implemented: true, answers: true}))).toEqual({driver: 'docker'})
  })

  it('falls back to sim for auto when Docker answers but the driver is not implemented, saying why', async () => {
    const resolved = await resolveDriver('auto', drivers({implemented: false, answers: true}))
    expect(resolved.driver).toBe('sim')
    expect(resolved.notice).toBe('a docker engine answers but the docker driver is not implemented yet; using sim: simulated pods')
  })

  it('falls back to sim for auto when no Docker engine answers, with the reason', async () => {
    const resolved = await resolveDriver('auto', drivers({implemented: true, answers: false}))
    expect(resolved.driver).toBe('sim')
    expect(resolved.notice).toBe('no docker engine answered: the Docker engine is not running (connect ENOENT /var/run/docker.sock); using sim: simulated pods')
  })

  it('fails --driver docker with a clear message while the driver is not implemented', async () => {
    await expect(resolveDriver('docker', drivers({implemented: false, answers: true}))).rejects.toMatchObject({
      code: 'DriverUnavailable',
      message: 'the docker driver is not available yet',
      fix: expect.stringContaining('--driver sim'),
    })
  })

  it('fails --driver docker when the engine does not answer, telling the user to start it', async () => {
    await expect(resolveDriver('docker', drivers({implemented: true, answers: false}))).rejects.toMatchObject({
      code: 'DriverUnavailable',
      why: 'the Docker engine is not running (connect ENOENT /var/run/docker.sock)',
      fix: 'start Docker (sudo systemctl start docker), or use --driver sim',
    })
  })

  it('takes --driver sim as is', async () => {
    expect(await resolveDriver('sim', drivers({implemented: false, answers: false}))).toEqual({driver: 'sim'})
  })

  it('with the real registry, auto picks docker exactly when an engine answers here, and sim otherwise with the reason', async () => {
    expect(DRIVERS.find((d) => d.name === 'docker')).toMatchObject({implemented: true, auto: true})
    const engine = await dockerEngineAnswers()
    const resolved = await resolveDriver('auto')
    if (engine.ok) expect(resolved).toEqual({driver: 'docker'})
    else {
      expect(resolved.driver).toBe('sim')
      expect(resolved.notice).toContain(`no docker engine answered: ${engine.reason}`)
    }
  })

  it('auto skips a driver that must be asked for by name, saying so, and --driver still gets it', async () => {
    const resolved = await resolveDriver('auto', drivers({implemented: true, answers: true, auto: false}))
    expect(resolved.driver).toBe('sim')
    expect(resolved.notice).toContain('the docker driver is a preview (ask for it with --driver docker)')
    expect(await resolveDriver('docker', drivers({implemented: true, answers: true, auto: false}))).toEqual({driver: 'docker'})
  })
})
