// The e2e cases on the simulated runtime, with the real CLI and the real kubectl.
import {describe} from 'vitest'
import {useE2ECluster} from './harness.js'
import {applyCases} from './cases/apply.js'
import {badInputCases} from './cases/bad-input.js'
import {clusterBasicsCases} from './cases/cluster-basics.js'
import {createAndEditCases} from './cases/create-and-edit.js'
import {getAndDescribeCases} from './cases/get-and-describe.js'
import {persistenceCases} from './cases/persistence.js'
import {rolloutCases} from './cases/rollouts.js'
import {cascadeCases} from './cases/cascades.js'
import {observeCases} from './cases/observe.js'
import {endpointsCases} from './cases/endpoints.js'
import {restartRolloutCases} from './cases/restart-rollout.js'

describe('kcluster on the simulated runtime, driven by the real kubectl', () => {
  const current = useE2ECluster('sim')

  describe('cluster basics', () => clusterBasicsCases(current))
  describe('apply', () => applyCases(current))
  describe('create and edit', () => createAndEditCases(current))
  describe('get and describe', () => getAndDescribeCases(current))
  describe('bad input', () => badInputCases(current))
})

describe('kcluster persistence on the simulated runtime', () => {
  persistenceCases(useE2ECluster('sim'))
})

describe('kcluster workloads on the simulated runtime: controllers converge as on a real cluster', () => {
  const current = useE2ECluster('sim')

  describe('rollouts', () => rolloutCases(current))
  describe('cascading deletion', () => cascadeCases(current))
  describe('observing workloads', () => observeCases(current))
  describe('service endpoints', () => endpointsCases(current))
})

describe('kcluster controllers across a control-plane restart (slow simulated container starts)', () => {
  restartRolloutCases(useE2ECluster('sim', ['--sim-start-delay', '1s']))
})
