// Issue 6's Docker fault "the engine restarted under running pods": this file restarts the host's
// Docker engine (scripts/dockerd-restart.sh), which stops every container on it, so it runs only
// where that is expected: under CI=true (CI owns its engine; a missing engine fails there) or with
// KCLUSTER_TEST_ENGINE_RESTART=1. It never runs beside another Docker test: vitest.config.ts leaves it
// out of the main run and vitest.engine.config.ts runs it alone, after it (`npm test`). Bounded: at
// most 45 s to start the cluster, 100 s for the case (an engine restart takes about 5 s, the pods
// about 10 s more) and 30 s to delete it, under 3 minutes in all.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {engine} from '../support/docker-engine.js'
import {startE2ECluster, type E2ECluster} from './harness.js'
import {expectNothingLeft} from './cases/docker-pods.js'
import {dockerEngineRestartCases} from './cases/docker-engine-restart.js'

const inCI = process.env.CI === 'true'
const allowed = inCI || process.env.KCLUSTER_TEST_ENGINE_RESTART === '1'
const why = !allowed
  ? 'it restarts the Docker engine, stopping every container on it: set KCLUSTER_TEST_ENGINE_RESTART=1 (or CI=true) to run it'
  : !engine.ok
    ? `no Docker engine answers (${engine.reason})`
    : undefined

describe('the Docker engine-restart fault test', () => {
  it.runIf(inCI)('finds a Docker engine under CI (the engine-restart test must run there)', () => {
    expect(engine).toEqual({ok: true})
  })
  // Skipped, with the reason as its title (and printed once, as the default reporter hides skipped titles).
  if (why) {
    console.warn(`docker-engine-restart.e2e.test.ts skipped: ${why}`)
    it.skip(`runs the engine-restart test (skipped: ${why})`, () => {})
  }
})

describe.runIf(!why)('kcluster on Docker across a restart of the Docker engine', () => {
  let cluster: E2ECluster | undefined
  beforeAll(async () => {
    cluster = await startE2ECluster('docker')
  }, 45_000)
  afterAll(async () => {
    if (!cluster) return
    await cluster.destroy()
    await expectNothingLeft(cluster.name)
  }, 30_000)
  dockerEngineRestartCases(() => cluster!)
})
