import type {DeleteResult} from '../cluster/index.js'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT_CODES_HELP} from '../cli/exit-codes.js'

export default class Delete extends BaseCommand {
  static override summary = 'Delete a cluster: stop it, remove its state and its kubeconfig entries.'
  static override description = `Stops the control plane if it runs, removes ~/.kcluster/<name>/ (store, certificates, logs) and takes the cluster, user and context named after the cluster out of the kubeconfig (unsetting current-context if it pointed there). Deleting a cluster that does not exist succeeds.

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> delete', '<%= config.bin %> delete --name dev']
  static override enableJsonFlag = true

  async run(): Promise<DeleteResult> {
    const {flags} = await this.parse(Delete)
    const {deleteCluster} = await import('../cluster/index.js')
    const result = await deleteCluster(flags.name)
    if (!result.deleted) {
      this.log(`Cluster "${result.name}" does not exist; nothing to delete.`)
      return result
    }
    this.log(`Deleted cluster "${result.name}".`)
    if (result.stoppedPid) this.log(`  stopped the control plane (pid ${result.stoppedPid})`)
    this.log(`  removed ${result.stateDir}`)
    for (const file of result.kubeconfigs) this.log(`  removed context "${result.name}" from ${file}`)
    return result
  }
}
