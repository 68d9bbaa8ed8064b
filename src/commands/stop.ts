import type {StopResult} from '../cluster/index.js'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT_CODES_HELP} from '../cli/exit-codes.js'

export default class Stop extends BaseCommand {
  static override summary = 'Stop a cluster\'s control plane, keeping all its state.'
  static override description = `Sends SIGTERM to the control plane and waits up to 15 seconds for it to stop cleanly (then SIGKILL). Every object, the certificates and the kubeconfig context are kept; kcluster start resumes the cluster. Stopping a stopped cluster succeeds.

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> stop', '<%= config.bin %> stop --name dev']
  static override enableJsonFlag = true

  async run(): Promise<StopResult> {
    const {flags} = await this.parse(Stop)
    const {stopCluster} = await import('../cluster/index.js')
    const result = await stopCluster(flags.name)
    if (!result.stopped) {
      this.log(`Cluster "${result.name}" is not running${result.stalePid ? ` (removed a stale pid file naming pid ${result.stalePid})` : ''}.`)
    } else {
      this.log(`Stopped cluster "${result.name}" (pid ${result.pid}${result.killed ? ', killed after it ignored SIGTERM' : ''}). State is kept; kcluster start resumes it.`)
    }
    return result
  }
}
