import {Flags} from '@oclif/core'
import type {StartResult} from '../cluster/index.js'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT_CODES_HELP} from '../cli/exit-codes.js'
import {formatStartSummary} from '../cli/format-start.js'

export default class Start extends BaseCommand {
  static override summary = 'Create or resume a local cluster and point kubectl at it.'
  static override description = `The control plane runs as a detached process; its state, pid, port, certificates and log live in ~/.kcluster/<name>/ (KCLUSTER_HOME overrides the root). The API port is chosen once and kept, so the kubeconfig stays valid across stop/start.

A context named after the cluster is merged into $KUBECONFIG (its first file) or ~/.kube/config and made current; other contexts are left alone. Starting a running cluster says so and succeeds.

--driver auto (the default) runs pods as containers on the host's Docker engine when one answers, and otherwise uses the simulated runtime (sim), saying why in one line. An existing cluster keeps the driver it was created with.

${EXIT_CODES_HELP}`

  static override examples = [
    '<%= config.bin %> start',
    '<%= config.bin %> start --name dev --port 6443',
    '<%= config.bin %> start --wait 2m',
    '<%= config.bin %> start --foreground   # logs here, Ctrl-C stops it',
  ]

  static override enableJsonFlag = true

  static override flags = {
    driver: Flags.string({description: 'Where pods run.', options: ['auto', 'docker', 'sim'], default: 'auto'}),
    port: Flags.integer({description: 'API server port on 127.0.0.1 (first start only; default: a free port).', min: 1, max: 65_535}),
    foreground: Flags.boolean({description: 'Run the control plane in this process, logging to stdout, until Ctrl-C.', default: false, exclusive: ['json']}),
    wait: Flags.string({description: 'Also wait until the node is Ready, for at most this long (e.g. 60s, 2m).'}),
    nodes: Flags.integer({description: 'Nodes of a new cluster, the first included (default 1). With --driver sim they are simulated nodes; add more later with `kcluster node add`.', min: 1, max: 1000}),
    'node-cpu': Flags.string({description: 'CPU capacity of each node, e.g. 2 or 1500m (default: the host\'s). Kept for later starts.'}),
    'node-memory': Flags.string({description: 'Memory capacity of each node, e.g. 4Gi (default: the host\'s). Kept for later starts.'}),
    'node-pods': Flags.integer({description: 'How many pods each node admits (default 110, like a kubelet). Kept for later starts.', min: 1, max: 100_000}),
    'node-monitor-grace-period': Flags.string({description: 'How long a node may miss heartbeats before it turns NotReady (default 40s, as kube-controller-manager). Kept for later starts.'}),
    'sim-start-delay': Flags.string({description: 'Simulated runtime: how long a container takes to start (e.g. 0s, 2s; default 50ms). Kept for later starts.'}),
  }

  async run(): Promise<StartResult> {
    const {flags} = await this.parse(Start)
    // Set before the control plane is imported: its logger reads the level once.
    if (flags.foreground) process.env.KCLUSTER_LOG_LEVEL ??= 'info'
    const {parseDuration, parseGracePeriod, parseQuantityFlag, planStart, startResult} = await import('../cluster/index.js')
    const {renderSteps} = await import('../cli/render-steps.js')

    const {steps, context} = planStart({
      name: flags.name,
      driver: flags.driver as 'auto' | 'docker' | 'sim',
      port: flags.port,
      foreground: flags.foreground,
      waitMs: flags.wait === undefined ? undefined : parseDuration(flags.wait),
      simStartDelayMs: flags['sim-start-delay'] === undefined ? undefined : parseDuration(flags['sim-start-delay']),
      nodePods: flags['node-pods'],
      nodes: flags.nodes,
      nodeCpu: flags['node-cpu'] === undefined ? undefined : parseQuantityFlag('--node-cpu', flags['node-cpu']),
      nodeMemory: flags['node-memory'] === undefined ? undefined : parseQuantityFlag('--node-memory', flags['node-memory']),
      nodeMonitorGraceMs: flags['node-monitor-grace-period'] === undefined ? undefined : parseGracePeriod(flags['node-monitor-grace-period']),
    })
    await renderSteps(steps, context, {quiet: this.jsonEnabled(), plain: flags.foreground})
    const result = startResult(context)
    this.log(formatStartSummary(result, {foreground: flags.foreground}))

    if (context.foreground) {
      const {untilSignal} = await import('../cli/until-signal.js')
      const signal = await untilSignal()
      // A second Ctrl-C while stopping means "now".
      process.once('SIGINT', () => process.exit(130))
      this.log(`${signal}: stopping the control plane`)
      await context.foreground.stop()
      this.log(`Stopped cluster "${result.name}"; all state is kept.`)
      this.exit(0)
    }
    return result
  }
}
