import {Args} from '@oclif/core'
import type {HeartbeatResult} from '../../cluster/index.js'
import {BaseCommand} from '../../cli/base-command.js'
import {EXIT_CODES_HELP} from '../../cli/exit-codes.js'

export default class NodeRecover extends BaseCommand {
  static override summary = 'Restart a failed simulated node\'s kubelet.'
  static override description = `The node heartbeats again and turns Ready; the node lifecycle controller removes its unreachable taints, and the kubelet resumes syncing the pods still bound to it (finishing the deletion of those evicted meanwhile).

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> node recover worker-1']
  static override enableJsonFlag = true

  static override args = {node: Args.string({description: 'Node name.', required: true})}

  async run(): Promise<HeartbeatResult> {
    const {args, flags} = await this.parse(NodeRecover)
    const {setNodeHeartbeat} = await import('../../cluster/index.js')
    const result = await setNodeHeartbeat(flags.name, args.node, true)
    this.log(result.unchanged ? `Node "${result.node}" is not failed.` : `Node "${result.node}": kubelet running again.`)
    return result
  }
}
