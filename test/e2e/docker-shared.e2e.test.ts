// The e2e cases written for the simulated runtime (sim.e2e.test.ts), run unchanged on `--driver docker`:
// each case is written once, and its pods are real containers here. They run wherever a Docker engine
// answers; under CI=true a missing engine fails (itFindsDockerUnderCI) instead of skipping them.
//
// What differs between the runtimes lives in a few named places, not in copies of cases:
// - manifests.ts: TEST_IMAGE and LONG_RUNNING, the local image and the command every test pod runs
//   (the image's default /bin/sh exits at once in a real container, and a plain `sleep` as PID 1
//   ignores SIGTERM, holding every deletion for its grace period);
// - persistence.ts, restartedByStop(): Docker's `kcluster stop` stops the pods' containers and `start`
//   starts them again, so pods and what follows their readiness keep their uids but not their
//   resourceVersions, and each container shows one restart;
// - restart-rollout.ts, runtimeContainers(): the containers the runtime holds are read from the
//   simulated runtime's journal or from Docker by label. That case needs containers slow to become
//   ready: the simulated cluster gets `--sim-start-delay 1s` (sim.e2e.test.ts); here the same manifest's
//   readiness probe (`readyAfterSeconds`, which the simulated runtime does not run) delays each pod.
// Every pod uses a local image with imagePullPolicy IfNotPresent or Never: nothing is ever pulled.
// scripts/docker-up.sh builds kcluster-test/busybox:1 and tags it :2 for the rollouts.
import {afterAll, beforeAll, describe} from 'vitest'
import {engine, itFindsDockerUnderCI} from '../support/docker-engine.js'
import {startE2ECluster, type E2ECluster} from './harness.js'
import {expectNothingLeft} from './cases/docker-pods.js'
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

/** A Docker cluster for the enclosing describe block; once deleted, no container or network of it may remain. */
function useDockerCluster(): () => E2ECluster {
  let cluster: E2ECluster | undefined
  beforeAll(async () => {
    cluster = await startE2ECluster('docker')
  }, 120_000)
  afterAll(async () => {
    if (!cluster) return
    await cluster.destroy()
    await expectNothingLeft(cluster.name)
  }, 90_000)
  return () => cluster!
}

itFindsDockerUnderCI()

describe.runIf(engine.ok)('kcluster on Docker, driven by the real kubectl (the cases shared with the simulated runtime)', () => {
  const current = useDockerCluster()

  describe('cluster basics', () => clusterBasicsCases(current))
  describe('apply', () => applyCases(current))
  describe('create and edit', () => createAndEditCases(current))
  describe('get and describe', () => getAndDescribeCases(current))
  describe('bad input', () => badInputCases(current))
})

describe.runIf(engine.ok)('kcluster persistence on Docker', () => {
  persistenceCases(useDockerCluster())
})

describe.runIf(engine.ok)('kcluster workloads on Docker: controllers converge as on a real cluster', () => {
  const current = useDockerCluster()

  describe('rollouts', () => rolloutCases(current))
  describe('cascading deletion', () => cascadeCases(current))
  describe('observing workloads', () => observeCases(current))
  describe('service endpoints', () => endpointsCases(current))
})

describe.runIf(engine.ok)('kcluster controllers on Docker across a control-plane restart (pods slow to become ready)', () => {
  restartRolloutCases(useDockerCluster())
})
