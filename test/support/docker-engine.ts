// The Docker suites' shared gate: they run wherever an engine answers and skip elsewhere, except under
// CI=true, where a missing engine must fail (this test) rather than let them skip silently.
import {expect, it} from 'vitest'
import {dockerEngineAnswers} from '../../src/cluster/runtime/docker/engine.js'

export const engine = await dockerEngineAnswers(3000)

export function itFindsDockerUnderCI(): void {
  it('finds a Docker engine when running under CI', () => {
    if (process.env.CI === 'true') expect(engine).toEqual({ok: true})
    else expect(engine.ok === true || typeof engine.reason === 'string').toBe(true)
  })
}
