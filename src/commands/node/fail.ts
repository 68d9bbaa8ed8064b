import {Args} from '@oclif/core'
import type {HeartbeatResult} from '../../cluster/index.js'
import {BaseCommand} from '../../cli/base-command.js'
import {EXIT_CODES_HELP} from '../../cli/exit-codes.js'

export default class NodeFail extends BaseCommand {
  static override summary = 'Stop a simulated node\'s kubelet, as if the machine lost power.'
  static override description = `The node stops renewing its Lease and stops syncing its pods; they keep their last status. After the node monitor grace period (kcluster start --node-monitor-grace-period, 40s by default) the node turns NotReady (Unknown) with the node.kubernetes.io/unreachable taints, and its pods are evicted after their tolerationSeconds (300s by default) and recreated elsewhere by their controllers. kcluster node recover brings the kubelet back.

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> node fail worker-1']
  static override enableJsonFlag = true

  static override args = {node: Args.string({description: 'Node name.', required: true})}

  async run(): Promise<HeartbeatResult> {
    const {args, flags} = await this.parse(NodeFail)
    const {setNodeHeartbeat} = await import('../../cluster/index.js')
    const result = await setNodeHeartbeat(flags.name, args.node, false)
    this.log(result.unchanged ? `Node "${result.node}" has already failed.` : `Node "${result.node}": kubelet stopped (no heartbeat). It turns NotReady after the node monitor grace period.`)
    return result
  }
}
