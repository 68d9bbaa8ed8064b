// Property-based fuzzing of the API server with a fixed seed and bounded run counts: every bad request
// gets a 4xx Status (never a 5xx, never a hang) and the server keeps answering. The control plane runs
// in this process, so an uncaught exception anywhere in it fails the run. bench/fuzz.mjs runs the same
// properties longer with a random seed.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {TestCluster} from '../integration/harness.js'
import {CM_COLLECTION, DEPLOY_COLLECTION, hugeInputs, yamlBombs} from './body-inputs.js'
import {requireAlive, sendFuzzed, type FuzzRequest} from './fuzz-http.js'
import {fixedHeaderRequests} from './header-inputs.js'
import {copyBomb, PATCH_CM, PATCH_DEPLOY} from './patch-inputs.js'
import {FIXED_SEED, PROPERTIES, runProperty, startFuzzCluster} from './properties.js'
import {fixedProtobuf} from './protobuf-inputs.js'

let k: TestCluster

beforeAll(async () => {
  k = await startFuzzCluster()
})

afterAll(async () => {
  await k?.stop()
})

describe('the API server under generated bad input', () => {
  for (const p of PROPERTIES) {
    it(p.name, async () => {
      await runProperty(k, p, {seed: FIXED_SEED, numRuns: p.numRuns, endOnFailure: true})
    }, 30_000)
  }
})

async function sendAll(requests: FuzzRequest[]): Promise<void> {
  for (const r of requests) await sendFuzzed(k, r)
  await requireAlive(k)
}

describe('the API server under fixed hostile input', () => {
  it('refuses YAML and JSON bombs (billion laughs, 10,000 levels of nesting) with a 4xx', async () => {
    await sendAll(yamlBombs)
  }, 30_000)

  it('refuses huge names, bodies, arrays and URLs with a 4xx (10 MiB bodies with 413)', async () => {
    const inputs = hugeInputs()
    const tooLarge = await sendFuzzed(k, inputs[1]!)
    expect(tooLarge.status).toBe(413)
    await sendAll(inputs)
  }, 30_000)

  it('refuses protobuf bodies without the magic, with absurd lengths or 10,000 levels deep', async () => {
    await sendAll(fixedProtobuf)
  }, 30_000)

  it('answers odd methods, escapes and header combinations with a Status', async () => {
    await sendAll(fixedHeaderRequests)
  })

  it('refuses a JSON patch whose copies double a subtree 40 times, as the accumulated copy limit does', async () => {
    for (const target of [`${CM_COLLECTION}/${PATCH_CM}`, `${DEPLOY_COLLECTION}/${PATCH_DEPLOY}`]) {
      const r = await sendFuzzed(k, copyBomb(target))
      expect(r.status).toBe(413)
    }
    await requireAlive(k)
  }, 30_000)
})
