import {Args, Flags} from '@oclif/core'
import type {AddNodeResult} from '../../cluster/index.js'
import {BaseCommand} from '../../cli/base-command.js'
import {EXIT, EXIT_CODES_HELP} from '../../cli/exit-codes.js'

export default class NodeAdd extends BaseCommand {
  static override summary = 'Add a simulated node to a running cluster.'
  static override description = `The node gets a kubelet inside the control plane (kwok's idea): it registers, heartbeats and runs the pods scheduled to it on the simulated runtime, so scheduling, spreading and node failures can be tried without more machines. Its size defaults to the cluster's node size (kcluster start --node-cpu/--node-memory/--node-pods).

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> node add worker-1', '<%= config.bin %> node add big --cpu 16 --memory 64Gi --pods 250']
  static override enableJsonFlag = true

  static override args = {node: Args.string({description: 'Node name (a DNS subdomain).', required: true})}

  static override flags = {
    cpu: Flags.string({description: 'CPU capacity, e.g. 4 or 3500m.'}),
    memory: Flags.string({description: 'Memory capacity, e.g. 8Gi.'}),
    pods: Flags.integer({description: 'Pods the node admits.', min: 1, max: 100_000}),
    wait: Flags.string({description: 'How long to wait for the node to be Ready (0s: do not wait).', default: '30s'}),
  }

  async run(): Promise<AddNodeResult> {
    const {args, flags} = await this.parse(NodeAdd)
    const {addNode, parseDuration, parseQuantityFlag} = await import('../../cluster/index.js')
    const size = {
      cpu: flags.cpu === undefined ? undefined : parseQuantityFlag('--cpu', flags.cpu),
      memory: flags.memory === undefined ? undefined : parseQuantityFlag('--memory', flags.memory),
      pods: flags.pods,
    }
    const result = await addNode(flags.name, args.node, {size, waitMs: parseDuration(flags.wait)})
    const capacity = `cpu ${result.capacity.cpu}, memory ${result.capacity.memory}, pods ${result.capacity.pods}`
    if (result.ready === false) {
      this.log(`Node "${result.node}" added (${capacity}) but not Ready: ${result.notReadyReason}`)
      this.setExitCode(EXIT.failure)
    } else {
      this.log(`Node "${result.node}" added to cluster "${result.cluster}"${result.ready ? ' and Ready' : ''} (${capacity}).`)
    }
    return result
  }
}
