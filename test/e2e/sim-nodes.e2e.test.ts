// Scheduling over several simulated nodes and node failure, with the real CLI and kubectl. Simulated
// nodes exist on the simulated runtime only, so these cases run once.
import {afterAll, beforeAll, describe} from 'vitest'
import {startE2ECluster, type E2ECluster} from './harness.js'
import {NODE_CASES_START_ARGS, nodeCases} from './cases/nodes.js'

describe('kcluster with three simulated nodes, driven by the real kubectl', () => {
  let cluster: E2ECluster
  beforeAll(async () => {
    cluster = await startE2ECluster('sim', NODE_CASES_START_ARGS)
  }, 120_000)
  afterAll(async () => cluster?.destroy())
  nodeCases(() => cluster)
})
