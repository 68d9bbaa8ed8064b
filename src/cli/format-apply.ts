// `kcluster apply` output: kubectl's `kind.group/name action` lines on stdout, problems on stderr.
import chalk from 'chalk'
import type {AppliedObject, ManifestProblem} from '../cluster/index.js'

export function formatApplied(object: AppliedObject): string {
  return `${object.ref} ${object.action}${object.dryRun ? ' (server dry run)' : ''}`
}

export function formatProblem(problem: ManifestProblem): string {
  const where = problem.line === undefined ? problem.source : `${problem.source}:${problem.line}`
  return `${chalk.red.bold('Error:')} ${where}: ${problem.message}\n  ${chalk.bold('Fix:')} ${chalk.cyan(problem.fix)}`
}

export function formatApplySummary(applied: number, problems: number): string {
  return chalk.red(`${problems} problem(s); ${applied} object(s) applied. Nothing was applied from the documents named above.`)
}
