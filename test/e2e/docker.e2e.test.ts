// The e2e cases on `--driver docker`: they run wherever a Docker engine answers, and under CI=true a
// missing engine is a failure, not a skip.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {dockerEngineAnswers} from '../../src/cluster/runtime/docker/engine.js'
import {startE2ECluster, type E2ECluster} from './harness.js'
import {dockerPodCases, expectNothingLeft} from './cases/docker-pods.js'
import {dockerImageCases} from './cases/docker-images.js'
import {dockerServiceCases} from './cases/docker-services.js'
import {dockerHostAccessCases} from './cases/docker-host-access.js'

const engine = await dockerEngineAnswers()
const inCI = process.env.CI === 'true'

describe('the Docker engine', () => {
  it.runIf(inCI)('answers under CI (the Docker suite must run there)', () => {
    expect(engine).toEqual({ok: true})
  })
})

describe.runIf(engine.ok)('kcluster on Docker, driven by the real kubectl', () => {
  let cluster: E2ECluster
  beforeAll(async () => {
    cluster = await startE2ECluster('docker')
  }, 120_000)
  afterAll(async () => {
    const name = cluster?.name
    await cluster?.destroy()
    if (name) await expectNothingLeft(name)
  }, 60_000)
  dockerPodCases(() => cluster)
  dockerImageCases(() => cluster)
  dockerServiceCases(() => cluster)
  dockerHostAccessCases(() => cluster)
})
