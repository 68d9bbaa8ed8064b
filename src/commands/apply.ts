import {Flags} from '@oclif/core'
import type {ApplyResult} from '../cluster/index.js'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT, EXIT_CODES_HELP} from '../cli/exit-codes.js'
import {formatApplied, formatApplySummary, formatProblem} from '../cli/format-apply.js'

export default class Apply extends BaseCommand {
  static override summary = 'Create or update objects from YAML/JSON manifests (server-side apply).'
  static override description = `Reads files, directories (their *.yaml, *.yml and *.json files, in name order) or stdin (-f -), with any number of documents separated by --- and kind: List expanded. Each object is sent with server-side apply as field manager "kcluster", without forcing: a field another manager owns is reported as a conflict, not taken over.

Prints kubectl's lines: "deployment.apps/web created", "configured" or "unchanged". A bad document (syntax error, missing kind, unknown kind, rejected by the server) is reported with its file and line and skipped; the others are still applied, and the exit code is then 1.

${EXIT_CODES_HELP}`

  static override examples = [
    '<%= config.bin %> apply -f deploy.yaml',
    '<%= config.bin %> apply -f manifests/ -n staging',
    'cat app.yaml | <%= config.bin %> apply -f -',
    '<%= config.bin %> apply -f app.yaml --dry-run=server',
  ]

  static override enableJsonFlag = true

  static override flags = {
    filename: Flags.string({char: 'f', description: 'File, directory or - for stdin (repeatable).', multiple: true, required: true}),
    namespace: Flags.string({char: 'n', description: 'Namespace for namespaced objects that do not name one (default: default).'}),
    'dry-run': Flags.string({description: 'server: have the API server validate and default everything, storing nothing.', options: ['none', 'server'], default: 'none'}),
  }

  async run(): Promise<ApplyResult> {
    const {flags} = await this.parse(Apply)
    const {applyManifests} = await import('../cluster/index.js')
    const result = await applyManifests(flags.name, {files: flags.filename, namespace: flags.namespace, dryRun: flags['dry-run'] === 'server'})
    for (const object of result.applied) this.log(formatApplied(object))
    if (result.problems.length) {
      if (!this.jsonEnabled()) {
        for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`)
        process.stderr.write(`${formatApplySummary(result.applied.length, result.problems.length)}\n`)
      }
      this.setExitCode(EXIT.failure)
    }
    return result
  }
}
