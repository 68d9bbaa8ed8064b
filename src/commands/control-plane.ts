import {BaseCommand} from '../cli/base-command.js'

// The detached process `kcluster start` spawns. Not for users: hidden from help.
export default class ControlPlane extends BaseCommand {
  static override hidden = true
  static override summary = 'Run a cluster\'s control plane in this process (used by kcluster start).'

  async run(): Promise<void> {
    const {flags} = await this.parse(ControlPlane)
    // Before the control plane is imported: its logger reads the level once.
    process.env.KCLUSTER_LOG_LEVEL ??= 'info'
    const {runControlPlane} = await import('../cluster/index.js')
    const {untilSignal} = await import('../cli/until-signal.js')

    const running = await runControlPlane(flags.name)
    this.log(`control plane for cluster "${flags.name}" serving ${running.url} (pid ${process.pid})`)
    const signal = await untilSignal()
    process.once('SIGINT', () => process.exit(130))
    this.log(`${signal}: stopping`)
    await running.stop()
    this.log('stopped')
    this.exit(0)
  }
}
