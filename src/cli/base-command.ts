// The one place the CLI turns failures into output and exit codes: what happened, why, and what to
// do, in colour on stderr (or as JSON with --json). Flag errors stay oclif's (exit 2, with usage).
import {Command, Flags, type Interfaces} from '@oclif/core'
import chalk from 'chalk'
import {EXIT, type ExitCode} from './exit-codes.js'

/** The shape every failure is reduced to before printing. */
export interface Failure {
  code: string
  message: string
  why?: string
  fix?: string
  exitCode: ExitCode
}

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    name: Flags.string({description: 'Cluster name (also the kubeconfig context and the node name).', default: 'kcluster', helpGroup: 'GLOBAL'}),
  }

  protected override async catch(error: Interfaces.CommandError): Promise<void> {
    // oclif's own parse/usage errors keep oclif's message, help hint and exit code.
    if (isOclifError(error)) return super.catch(error)
    const failure = describeFailure(error)
    process.exitCode = failure.exitCode
    if (this.jsonEnabled()) {
      this.logJson({error: {code: failure.code, message: failure.message, why: failure.why, fix: failure.fix, exitCode: failure.exitCode}})
      return
    }
    process.stderr.write(formatFailure(failure))
    if (process.env.KCLUSTER_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${chalk.dim(error.stack)}\n`)
    this.exit(failure.exitCode)
  }

  /** Sets the exit code without throwing, for commands whose result is printed either way (status, apply). */
  protected setExitCode(code: ExitCode): void {
    process.exitCode = code
  }
}

function isOclifError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'oclif' in error
}

/** Maps known error types (by name and code, so the CLI need not import the layers that throw them) to a Failure. */
export function describeFailure(error: unknown): Failure {
  const e = error as {name?: string; code?: unknown; reason?: string; message?: string; why?: string; fix?: string}
  const message = e?.message ?? String(error)
  switch (e?.name) {
    case 'ClusterError': {
      const code = String(e.code)
      return {code, message, why: e.why, fix: e.fix, exitCode: exitCodeFor(code)}
    }
    case 'KubeApiError':
      return {code: 'ApiError', message: `the API server refused the request: ${message}`, why: e.reason || undefined, exitCode: EXIT.failure}
    case 'StoreCorruptError':
      // `start --foreground` opening a damaged store: the store says what is wrong and how to recover.
      return {code: 'StartFailed', message, why: e.why, fix: e.fix, exitCode: EXIT.failure}
    case 'KubeConnectionError':
      return {code: 'Unreachable', message: 'the API server did not answer', why: message, fix: 'check the cluster with: kcluster status', exitCode: EXIT.unhealthy}
    default:
      return {
        code: 'Unexpected',
        message,
        why: 'this is a bug in kcluster or an unexpected condition on this machine',
        fix: 'run again with KCLUSTER_DEBUG=1 for the stack trace, and report it',
        exitCode: EXIT.failure,
      }
  }
}

function exitCodeFor(code: string): ExitCode {
  switch (code) {
    case 'NotRunning':
      return EXIT.notRunning
    case 'NotFound':
      return EXIT.notFound
    case 'Unreachable':
      return EXIT.unhealthy
    case 'InvalidInput':
      return EXIT.usage
    default:
      return EXIT.failure
  }
}

export function formatFailure(failure: Pick<Failure, 'message' | 'why' | 'fix'>): string {
  const lines = [`${chalk.red.bold('Error:')} ${failure.message}`]
  if (failure.why) lines.push(...indent(`${chalk.bold('Why:')} ${failure.why}`))
  if (failure.fix) lines.push(...indent(`${chalk.bold('Fix:')} ${chalk.cyan(failure.fix)}`))
  return `${lines.join('\n')}\n`
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => `  ${l}`)
}
