import {BaseCommand} from '../cli/base-command.js'
import {EXIT_CODES_HELP} from '../cli/exit-codes.js'

export default class Kubeconfig extends BaseCommand {
  static override summary = 'Print a kubeconfig that holds only this cluster.'
  static override description = `The cluster, user and context are named after the cluster; certificates are embedded, so the file works on its own (e.g. KUBECONFIG=./kc.yaml kubectl get nodes). Works whether or not the cluster is running.

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> kubeconfig > kc.yaml', '<%= config.bin %> kubeconfig --name dev']

  async run(): Promise<void> {
    const {flags} = await this.parse(Kubeconfig)
    const {kubeconfigFor} = await import('../cluster/index.js')
    process.stdout.write(await kubeconfigFor(flags.name))
  }
}
