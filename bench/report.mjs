// The bench's output: one record per figure (median with min/max over its runs), printed as a table
// row as soon as it is measured, or collected for --json. Sections are timed so --quick's budget
// (under 2 minutes) can be checked section by section.
import {cpus, totalmem} from 'node:os'
import {median, stats} from './lib.mjs'

const round2 = (x) => (x === undefined || x === null || Number.isNaN(x) ? x : Math.round(x * 100) / 100)
const fmt = (x) => (x === undefined ? '' : String(round2(x)))

export function createReport({asJson, quick}) {
  const records = []
  const skipped = []
  const sections = []
  const started = performance.now()
  let section = 'general'
  let sectionStart = started
  const print = (line) => {
    if (!asJson) console.log(line)
  }

  function closeSection() {
    if (sections.length > 0 && sections.at(-1).ms === undefined) sections.at(-1).ms = Math.round(performance.now() - sectionStart)
  }

  return {
    /** Starts a named section: its records carry the name and its wall time is reported at the end. */
    section(name, description) {
      closeSection()
      section = name
      sectionStart = performance.now()
      sections.push({name})
      print(`\n== ${name}${description ? `: ${description}` : ''}`)
      print(`${'figure'.padEnd(60)} ${'median'.padStart(10)} ${'min'.padStart(10)} ${'max'.padStart(10)}  unit`)
    },

    /**
     * One figure. `value` is either the samples of its runs (median, min and max are taken from them)
     * or a single number (then `extra.min`/`extra.max` may carry a spread measured elsewhere).
     */
    record(name, unit, value, extra = {}) {
      const samples = Array.isArray(value) ? value : undefined
      const s = samples ? stats(samples) : undefined
      const mid = samples ? median(samples) : value
      const rec = {
        section,
        name,
        unit,
        value: round2(mid),
        median: round2(mid),
        min: round2(s ? s.min : extra.min ?? mid),
        max: round2(s ? s.max : extra.max ?? mid),
        runs: s ? s.n : extra.runs ?? 1,
        ...Object.fromEntries(Object.entries(extra).filter(([k]) => !['min', 'max', 'runs'].includes(k))),
      }
      if (samples) rec.samples = samples.map(round2)
      records.push(rec)
      const spread = rec.runs > 1 || rec.min !== rec.median || rec.max !== rec.median
      // A name too long for the column gets a line of its own so the numbers stay aligned.
      if (name.length > 60) print(name)
      print(`${(name.length > 60 ? '' : name).padEnd(60)} ${fmt(rec.median).padStart(10)} ${(spread ? fmt(rec.min) : '').padStart(10)} ${(spread ? fmt(rec.max) : '').padStart(10)}  ${unit}${extra.note ? `  (${extra.note})` : ''}`)
      return rec
    },

    /** A figure or section not measured in this run, with the reason (printed and kept in --json). */
    skip(what, reason) {
      skipped.push({section, what, reason})
      print(`${what}: skipped: ${reason}`)
    },

    finish() {
      closeSection()
      const totalMs = Math.round(performance.now() - started)
      const machine = {node: process.version, cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), cpuModel: cpus()[0]?.model}
      if (asJson) {
        console.log(JSON.stringify({machine, quick, totalMs, sections, skipped, records}, null, 2))
        return
      }
      console.log(`\nsection wall times: ${sections.map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)} s`).join(', ')}; total ${(totalMs / 1000).toFixed(1)} s (bench only, without the build)`)
      console.log(`machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memGiB} GiB, node ${machine.node}${quick ? ' (quick mode)' : ''}`)
    },
  }
}
