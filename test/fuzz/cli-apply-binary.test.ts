// `kcluster apply -f` through the REAL built binary (node bin/run.js) against a simulated cluster, on
// hostile inputs (test/fuzz/cli-apply-inputs.ts): binary files, empty files, YAML bombs, deep nesting,
// a 4 MB line, non-UTF-8, bad JSON, a mixed directory, FIFOs, /dev/zero, stdin. cli-apply-fuzz.test.ts
// covers the same reader in-process; this file checks what a user sees: the exit code, stderr naming
// the file (and line) with why and a Fix, no stack trace or "undefined", a bounded run time, and that
// the cluster holds exactly the objects the runs reported as applied (nothing bad half-applied).
import {execa, type ResultPromise} from 'execa'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {CLI, useE2ECluster} from '../e2e/harness.js'
import {FIXED_CASES, generatedCases, type CliCase, type CliInput} from './cli-apply-inputs.js'

/** Generous for a loaded machine: every input here is read, refused or applied in well under a second. */
const RUN_BOUND_MS = 15_000
/** A message quoting a whole object is cut; nobody reads a longer line. */
const MAX_LINE = 4000
const CRASH_MARKERS = [/^\s+at /m, /undefined/, /\[object Object\]/, /this is a bug in kcluster/]
const APPLIED_LINE = /^(\S+\/\S+) (created|configured|unchanged)$/gm

const cluster = useE2ECluster('sim')
let dir: string
/** Every object the runs reported on stdout, as kubectl get -o name prints it. */
const reported = new Set<string>()

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kcluster-cli-apply-'))
})
afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true})
})

interface Run {
  exitCode: number | undefined
  stdout: string
  stderr: string
  ms: number
  timedOut: boolean
}

async function applyCli(input: CliInput): Promise<Run> {
  const c = cluster()
  if (input.writer) await execa('mkfifo', [input.arg])
  const writer: ResultPromise | undefined = input.writer ? execa(input.writer[0]!, input.writer.slice(1), {reject: false, timeout: RUN_BOUND_MS + 5_000}) : undefined
  const started = Date.now()
  try {
    const r = await execa(process.execPath, [CLI, 'apply', '--name', c.name, '-f', input.arg], {
      env: c.env,
      input: input.stdin,
      stdin: input.stdin === undefined ? 'ignore' : undefined,
      reject: false,
      timeout: RUN_BOUND_MS + 5_000,
    })
    return {exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - started, timedOut: r.timedOut}
  } finally {
    // A writer still blocked on a FIFO nobody reads any more (the CLI stopped early) is ours to end.
    if (writer?.pid !== undefined && writer.exitCode === null) writer.kill('SIGTERM')
    await writer
  }
}

/** Pairs each `Error: <where>: <why>` line with whether a `Fix:` line follows it. */
function problemsIn(stderr: string): {text: string; hasFix: boolean}[] {
  const lines = stderr.split('\n')
  return lines.flatMap((line, i) => (line.startsWith('Error: ') ? [{text: line.slice('Error: '.length), hasFix: /^\s+Fix: \S/.test(lines[i + 1] ?? '')}] : []))
}

function check(c: CliCase, input: CliInput, run: Run): void {
  const shown = `exit ${run.exitCode} after ${run.ms} ms\n--- stdout\n${run.stdout.slice(0, 2000)}\n--- stderr\n${run.stderr.slice(0, 2000)}`
  expect(run.timedOut, `${c.name}: still running after ${RUN_BOUND_MS + 5_000} ms`).toBe(false)
  expect(run.ms, `${c.name}: took too long\n${shown}`).toBeLessThan(RUN_BOUND_MS)
  for (const marker of CRASH_MARKERS) expect(`${run.stdout}\n${run.stderr}`, `${c.name}: output matches ${marker}\n${shown}`).not.toMatch(marker)
  for (const [, ref] of run.stdout.matchAll(APPLIED_LINE)) reported.add(ref!)
  const longest = Math.max(...run.stderr.split('\n').map((l) => l.length))
  expect(longest, `${c.name}: a stderr line of ${longest} characters\n${shown}`).toBeLessThan(MAX_LINE)

  const problems = problemsIn(run.stderr)
  for (const p of problems) expect(p.hasFix, `${c.name}: no Fix: line after "${p.text}"\n${shown}`).toBe(true)
  for (const name of c.applies) expect(run.stdout, `${c.name}: configmap/${name} was not applied\n${shown}`).toMatch(new RegExp(`^configmap/${name} (created|configured|unchanged)$`, 'm'))

  if (c.either) {
    expect([0, 1], `${c.name}\n${shown}`).toContain(run.exitCode)
    if (run.exitCode === 0) expect(run.stdout, `${c.name}: exit 0 but nothing listed as applied\n${shown}`).toMatch(APPLIED_LINE)
    else {
      expect(problems.length, `${c.name}: exit 1 without an Error: line\n${shown}`).toBeGreaterThan(0)
      for (const p of problems) expect(p.text.startsWith(`${input.arg}`), `${c.name}: "${p.text}" does not name ${input.arg}\n${shown}`).toBe(true)
    }
    return
  }
  const refuses = c.refuses ?? []
  expect(run.exitCode, `${c.name}\n${shown}`).toBe(refuses.length ? 1 : 0)
  expect(problems.length, `${c.name}: not one Error: line per expected problem\n${shown}`).toBe(refuses.length)
  for (const r of refuses) {
    const where = typeof r.where === 'string' ? r.where : r.where(dir)
    const withLine = /:\d+$/.test(where)
    const at = problems.filter((p) => p.text.startsWith(`${where}: `) || (!withLine && new RegExp(`^${escapeRegExp(where)}:\\d+: `).test(p.text)))
    expect(at.length, `${c.name}: no "Error: ${where}: ..." line\n${shown}`).toBeGreaterThan(0)
    expect(at.map((p) => p.text).find((t) => r.why.test(t)), `${c.name}: no problem at ${where} says ${r.why}\n${shown}`).toBeDefined()
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('kcluster apply -f (the built CLI) on hostile inputs', () => {
  for (const c of [...FIXED_CASES, ...generatedCases()]) {
    it(`answers ${c.name} with a clean result in bounded time`, async () => {
      const input = c.make(dir)
      check(c, input, await applyCli(input))
    }, RUN_BOUND_MS + 10_000)
  }

  it('leaves a cluster that answers and holds exactly the objects the runs reported as applied', async () => {
    const c = cluster()
    expect(await c.kubectlOk(['get', 'ns', '-o', 'name'])).toContain('namespace/default')
    const listed = (await c.kubectlOk(['get', 'configmaps,deployments', '-n', 'default', '-o', 'name'])).split('\n').filter(Boolean)
    const expected = [...reported, 'configmap/kube-root-ca.crt']
    expect(listed.sort()).toEqual([...new Set(expected)].sort())
  })
})
