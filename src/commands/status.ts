import type {ClusterStatus} from '../cluster/index.js'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT_CODES_HELP} from '../cli/exit-codes.js'
import {formatStatus, statusExitCode} from '../cli/format-status.js'

export default class Status extends BaseCommand {
  static override summary = 'Show whether a cluster runs, its components, node, API URL, uptime and object counts.'
  static override description = `The state is one of Running, Degraded (the process runs but a component or the node is unhealthy, or the API does not answer), Stopped or NotFound. The exit code says the same, so scripts can test it:

  0 Running, 3 Stopped, 4 NotFound, 5 Degraded (1 other failure, 2 bad flags).

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json', '<%= config.bin %> status --name dev || echo "not running"']
  static override enableJsonFlag = true

  async run(): Promise<ClusterStatus> {
    const {flags} = await this.parse(Status)
    const {clusterStatus} = await import('../cluster/index.js')
    const status = await clusterStatus(flags.name)
    this.log(formatStatus(status))
    this.setExitCode(statusExitCode(status))
    return status
  }
}
