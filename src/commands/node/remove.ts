import {Args, Flags} from '@oclif/core'
import type {RemoveNodeResult} from '../../cluster/index.js'
import {BaseCommand} from '../../cli/base-command.js'
import {EXIT_CODES_HELP} from '../../cli/exit-codes.js'

export default class NodeRemove extends BaseCommand {
  static override summary = 'Drain a node and remove it from the cluster.'
  static override description = `Cordons the node, evicts its pods through the Eviction API (PodDisruptionBudgets and graceful termination apply; their controllers recreate them elsewhere), waits for them to terminate, then deletes the Node. A failed node's pods cannot terminate; they are force-deleted by the pod garbage collector once the node is gone. The cluster's first node cannot be removed.

${EXIT_CODES_HELP}`

  static override examples = ['<%= config.bin %> node remove worker-1', '<%= config.bin %> node remove worker-1 --timeout 5m --force']
  static override enableJsonFlag = true

  static override args = {node: Args.string({description: 'Node name.', required: true})}

  static override flags = {
    timeout: Flags.string({description: 'How long to wait for the pods to terminate.', default: '60s'}),
    force: Flags.boolean({description: 'After the timeout, delete the remaining pods at once instead of failing.', default: false}),
  }

  async run(): Promise<RemoveNodeResult> {
    const {args, flags} = await this.parse(NodeRemove)
    const {parseDuration, removeNode} = await import('../../cluster/index.js')
    const result = await removeNode(flags.name, args.node, {timeoutMs: parseDuration(flags.timeout), force: flags.force})
    for (const pod of result.evicted) this.log(`evicting pod ${pod}`)
    for (const pod of result.forced) this.log(`deleted pod ${pod} without waiting (--force)`)
    this.log(`Node "${result.node}" drained and removed from cluster "${result.cluster}".`)
    return result
  }
}
