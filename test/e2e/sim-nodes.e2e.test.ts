// Scheduling over several simulated nodes and node failure, with the real CLI and kubectl. Simulated
// nodes exist on the simulated runtime only, so these cases run once.
import {describe} from 'vitest'
import {useE2ECluster} from './harness.js'
import {NODE_CASES_START_ARGS, nodeCases} from './cases/nodes.js'

describe('kcluster with three simulated nodes, driven by the real kubectl', () => {
  nodeCases(useE2ECluster('sim', NODE_CASES_START_ARGS))
})
