// The fuzz properties, shared by the fixed-seed suite (test/fuzz/api-fuzz.test.ts) and the long run
// (bench/fuzz.mjs). Each property sends one generated bad request and checks the answer; the runner
// checks after every property that the server still answers.
import fc from 'fast-check'
import {eventually, startTestCluster, type TestCluster} from '../integration/harness.js'
import {CM_COLLECTION, DEPLOY_COLLECTION, FUZZ_NAMESPACE, garbageBody, mutatedJson, POD_COLLECTION, truncatedJson} from './body-inputs.js'
import {EchoStreamRuntime} from './fake-stream-runtime.js'
import {fieldPaths, isStringOrNumberField, pathText, replaceAt, sampleDeployment, samplePod, wrongTypeValues, type PathStep} from './field-paths.js'
import {requireAlive, sendFuzzed, type FuzzRequest} from './fuzz-http.js'
import {acceptRequests, contentTypeRequests} from './header-inputs.js'
import {MERGE_PATCH, PATCH_CM, PATCH_DEPLOY, patchRequests} from './patch-inputs.js'
import {protobufRequests} from './protobuf-inputs.js'
import {fieldSelectorRequests, labelSelectorRequests, pagingRequests} from './query-inputs.js'
import {runUpgradeProbe, spdyCases, STREAM_POD, websocketCases, type StreamCase} from './stream-inputs.js'

export const FIXED_SEED = 20261122

export interface FuzzProperty {
  name: string
  /** Runs in the fixed-seed suite; the long run multiplies it. */
  numRuns: number
  property: (k: TestCluster) => fc.IAsyncProperty<[unknown]>
}

const requestProperty = (arb: fc.Arbitrary<FuzzRequest>) => (k: TestCluster) => fc.asyncProperty(arb, async (r: FuzzRequest) => void (await sendFuzzed(k, r))) as fc.IAsyncProperty<[unknown]>
const streamProperty = (arb: fc.Arbitrary<StreamCase>) => (k: TestCluster) => fc.asyncProperty(arb, (c: StreamCase) => runUpgradeProbe(k, c)) as fc.IAsyncProperty<[unknown]>

const WRONG_TYPE_PUT_POD = 'wrong-type-target'

/** Every (path, wrong value) pair of a valid object, sent as create, update and merge patch. */
function wrongTypes(kind: 'Pod' | 'Deployment'): fc.Arbitrary<FuzzRequest> {
  const sample = kind === 'Pod' ? samplePod('wt') : sampleDeployment('wt')
  const cases = fieldPaths(sample).flatMap(({path, type}) => wrongTypeValues(type, isStringOrNumberField(path)).map((value) => ({path, value})))
  const collection = kind === 'Pod' ? POD_COLLECTION : DEPLOY_COLLECTION
  const existing = kind === 'Pod' ? WRONG_TYPE_PUT_POD : PATCH_DEPLOY
  return fc.tuple(fc.constantFrom(...cases), fc.constantFrom('create-strict', 'create-ignore', 'update', 'merge-patch')).map(([{path, value}, how]): FuzzRequest => {
    const tag = `${pathText(path)} = ${JSON.stringify(value)}`
    if (how === 'merge-patch') return {method: 'PATCH', path: `${collection}/${existing}?fuzz=${encodeURIComponent(tag)}`, opts: {body: patchOf(kind, existing, path, value), contentType: MERGE_PATCH}}
    const name = how === 'update' ? existing : 'wt'
    const body = replaceAt(kind === 'Pod' ? samplePod(name) : sampleDeployment(name), path, value)
    if (how === 'update') return {method: 'PUT', path: `${collection}/${name}?fuzz=${encodeURIComponent(tag)}`, opts: {body}}
    return {method: 'POST', path: `${collection}?fieldValidation=${how === 'create-strict' ? 'Strict' : 'Ignore'}&fuzz=${encodeURIComponent(tag)}`, opts: {body}}
  })
}

/** A merge patch carrying the top-level subtree that holds the wrong value (lists are replaced whole by merge patch). */
function patchOf(kind: 'Pod' | 'Deployment', name: string, path: PathStep[], value: unknown): Record<string, unknown> {
  const replaced = replaceAt(kind === 'Pod' ? samplePod(name) : sampleDeployment(name), path, value) as Record<string, unknown>
  return {[path[0] as string]: replaced[path[0] as string]}
}

export const PROPERTIES: FuzzProperty[] = [
  {name: 'truncated JSON bodies are refused', numRuns: 40, property: requestProperty(truncatedJson)},
  {name: 'mutated JSON bodies are refused or accepted, never a 5xx', numRuns: 40, property: requestProperty(mutatedJson)},
  {name: 'garbage JSON and YAML bodies are refused', numRuns: 40, property: requestProperty(garbageBody)},
  {name: 'a wrong type at any field of a Pod is refused', numRuns: 80, property: requestProperty(wrongTypes('Pod'))},
  {name: 'a wrong type at any field of a Deployment is refused', numRuns: 80, property: requestProperty(wrongTypes('Deployment'))},
  {name: 'malformed label selectors are refused', numRuns: 40, property: requestProperty(labelSelectorRequests)},
  {name: 'malformed or unsupported field selectors are refused', numRuns: 40, property: requestProperty(fieldSelectorRequests)},
  {name: 'junk paging and watch parameters never cause a 5xx', numRuns: 30, property: requestProperty(pagingRequests)},
  {name: 'invalid patches of every patch type are refused', numRuns: 80, property: requestProperty(patchRequests)},
  {name: 'truncated and lying protobuf envelopes are refused', numRuns: 80, property: requestProperty(protobufRequests)},
  {name: 'unknown Content-Types are refused with 415', numRuns: 30, property: requestProperty(contentTypeRequests)},
  {name: 'any Accept header gets JSON or a 406', numRuns: 30, property: requestProperty(acceptRequests)},
  {name: 'broken WebSocket handshakes and frames on exec and port-forward are survived', numRuns: 40, property: streamProperty(websocketCases)},
  {name: 'broken SPDY handshakes and frames on exec and port-forward are survived', numRuns: 40, property: streamProperty(spdyCases)},
]

/** A control plane with the fuzz namespace, patch targets and a Running pod to stream to. */
export async function startFuzzCluster(): Promise<TestCluster> {
  const k = await startTestCluster({streams: new EchoStreamRuntime()})
  try {
    const create = async (path: string, body: unknown) => {
      const r = await k.request('POST', path, {body})
      if (r.status !== 201) throw new Error(`fuzz setup: POST ${path} -> ${r.status}: ${r.text}`)
    }
    await create('/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: FUZZ_NAMESPACE}})
    await create(CM_COLLECTION, {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: PATCH_CM}, data: {k: 'v'}})
    await create(DEPLOY_COLLECTION, sampleDeployment(PATCH_DEPLOY))
    const wt = samplePod(WRONG_TYPE_PUT_POD)
    delete (wt.metadata as Record<string, unknown>).finalizers
    await create(POD_COLLECTION, wt)
    await create(POD_COLLECTION, {apiVersion: 'v1', kind: 'Pod', metadata: {name: STREAM_POD}, spec: {containers: [{name: 'main', image: 'busybox'}]}})
    await eventually(async () => {
      const r = await k.request('GET', `${POD_COLLECTION}/${STREAM_POD}`)
      return r.json?.status?.containerStatuses?.[0]?.state?.running !== undefined
    }, 'the stream target pod to run')
    return k
  } catch (error) {
    await k.stop()
    throw error
  }
}

/** Runs one property and then insists the server still answers. */
export async function runProperty(k: TestCluster, p: FuzzProperty, params: fc.Parameters<[unknown]>): Promise<void> {
  await fc.assert(p.property(k), params)
  await requireAlive(k)
}
