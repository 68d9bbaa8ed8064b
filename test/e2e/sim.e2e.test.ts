// The e2e cases on the simulated runtime, with the real CLI and the real kubectl.
import {afterAll, beforeAll, describe} from 'vitest'
import {startE2ECluster, type E2ECluster} from './harness.js'
import {applyCases} from './cases/apply.js'
import {badInputCases} from './cases/bad-input.js'
import {clusterBasicsCases} from './cases/cluster-basics.js'
import {createAndEditCases} from './cases/create-and-edit.js'
import {getAndDescribeCases} from './cases/get-and-describe.js'
import {persistenceCases} from './cases/persistence.js'

describe('kcluster on the simulated runtime, driven by the real kubectl', () => {
  let cluster: E2ECluster
  beforeAll(async () => {
    cluster = await startE2ECluster('sim')
  }, 120_000)
  afterAll(async () => cluster?.destroy())
  const current = () => cluster

  describe('cluster basics', () => clusterBasicsCases(current))
  describe('apply', () => applyCases(current))
  describe('create and edit', () => createAndEditCases(current))
  describe('get and describe', () => getAndDescribeCases(current))
  describe('bad input', () => badInputCases(current))
})

describe('kcluster persistence on the simulated runtime', () => {
  let cluster: E2ECluster
  beforeAll(async () => {
    cluster = await startE2ECluster('sim')
  }, 120_000)
  afterAll(async () => cluster?.destroy())
  persistenceCases(() => cluster)
})
