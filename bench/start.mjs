// Cluster lifecycle through the CLI, as a user runs it: `kcluster start` to node Ready on a new
// cluster (cold) and on a stopped one (warm), `kcluster stop` and `kcluster delete`, each against the
// CLI's own start-up (`kcluster --version`, node + oclif) measured in the same run.
import {kcluster, stats, timed} from './lib.mjs'

export function startFigures({env, runs, report}) {
  const cliBaseline = Array.from({length: runs}, () => timed(() => kcluster(['--version'], env)).ms)
  const base = stats(cliBaseline).median
  report.record('cli baseline: kcluster --version', 'ms', cliBaseline)

  const times = {cold: [], warm: [], stop: [], delete: []}
  for (let i = 0; i < runs; i++) {
    const name = `start-${i}`
    times.cold.push(timed(() => kcluster(['start', '--name', name, '--driver', 'sim'], env)).ms)
    times.stop.push(timed(() => kcluster(['stop', '--name', name], env)).ms)
    times.warm.push(timed(() => kcluster(['start', '--name', name, '--driver', 'sim'], env)).ms)
    times.delete.push(timed(() => kcluster(['delete', '--name', name], env)).ms)
  }
  const vsBase = (xs) => `${(stats(xs).median / base).toFixed(1)}x cli baseline`
  report.record('start to node Ready, cold (new cluster)', 'ms', times.cold, {note: vsBase(times.cold)})
  report.record('start to node Ready, warm (stopped cluster, existing state)', 'ms', times.warm, {note: vsBase(times.warm)})
  report.record('stop (running cluster, empty)', 'ms', times.stop, {note: vsBase(times.stop)})
  report.record('delete (running cluster: stop and remove its state)', 'ms', times.delete, {note: vsBase(times.delete)})
}
