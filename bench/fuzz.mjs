// The long fuzz run: the same properties as test/fuzz/api-fuzz.test.ts, more runs, a random seed that
// is printed so any failure can be replayed exactly.
//   node --import tsx bench/fuzz.mjs [--factor 20] [--seed 1234] [--only selector]
// Exit code 1 when a property fails; the counterexample and the replay command are printed.
import {parseArgs} from 'node:util'
import {PROPERTIES, runProperty, startFuzzCluster} from '../test/fuzz/properties.ts'

const {values} = parseArgs({options: {factor: {type: 'string', default: '20'}, seed: {type: 'string'}, only: {type: 'string'}}})
const factor = Number(values.factor)
const seed = values.seed === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(values.seed)
const selected = PROPERTIES.filter((p) => !values.only || p.name.includes(values.only))

process.stdout.write(`fuzz: seed ${seed}, ${selected.length} properties, ${factor}x the suite's runs\n`)
process.stdout.write(`replay: node --import tsx bench/fuzz.mjs --factor ${factor} --seed ${seed}${values.only ? ` --only '${values.only}'` : ''}\n`)

const k = await startFuzzCluster()
let failed = 0
try {
  for (const p of selected) {
    const started = performance.now()
    const numRuns = p.numRuns * factor
    try {
      await runProperty(k, p, {seed, numRuns, endOnFailure: true})
      process.stdout.write(`ok    ${p.name} (${numRuns} runs, ${Math.round(performance.now() - started)} ms)\n`)
    } catch (error) {
      failed += 1
      process.stdout.write(`FAIL  ${p.name}\n${error instanceof Error ? error.message : String(error)}\n${error?.cause instanceof Error ? `cause: ${error.cause.message}\n` : ''}`)
    }
  }
} finally {
  await k.stop()
}
process.stdout.write(`${failed === 0 ? 'all properties held' : `${failed} propert${failed === 1 ? 'y' : 'ies'} failed`} (seed ${seed})\n`)
process.exitCode = failed === 0 ? 0 : 1
