// npm run bench [-- --quick] [-- --json]: the figures kcluster promises, measured on this machine.
// Every figure is the median of several runs with min and max; where a baseline makes sense it is
// measured in the same run. --quick (routine use, under 2 minutes with the build on a 2-core machine)
// runs smaller loads, once, and skips the slowest figures (the Service network paths), saying which;
// --json prints one record per figure; --only picks sections.
import {existsSync, readdirSync} from 'node:fs'
import {apiFigures} from './api.mjs'
import {dockerFigures} from './docker-figures.mjs'
import {clusterClient, dockerAnswers, kcluster, tempHome} from './lib.mjs'
import {memoryFigures} from './memory.mjs'
import {networkFigures} from './network.mjs'
import {podFigures} from './pods.mjs'
import {createReport} from './report.mjs'
import {scaleFigures, schedulerFigures} from './scale-figures.mjs'
import {startFigures} from './start.mjs'
import {storeFigures} from './store.mjs'
import {watchFigures} from './watch.mjs'

const quick = process.argv.includes('--quick')
// --only scale,pods runs just those sections, e.g. after a change to one area.
const SECTIONS = ['start', 'memory', 'api', 'pods', 'store', 'scale', 'docker']
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt < 0 ? undefined : String(process.argv[onlyAt + 1] ?? '').split(',')
const unknown = (only ?? []).filter((name) => !SECTIONS.includes(name))
if (only && (unknown.length > 0 || only.length === 0)) {
  console.error(`bench: --only takes sections from ${SECTIONS.join(', ')}, comma-separated; got '${only.join(',')}'`)
  process.exit(2)
}
const wanted = (section) => !only || only.includes(section)
const report = createReport({asJson: process.argv.includes('--json'), quick})
const {env, cleanup} = tempHome()
const RUNS = 3

try {
  if (wanted('start')) {
    report.section('start', 'kcluster start / stop / delete on the simulated runtime')
    startFigures({env, runs: RUNS, report})
  }

  if (wanted('memory')) {
    report.section('memory', 'control-plane RSS, fresh clusters')
    await memoryFigures({env, report, runs: quick ? 2 : RUNS})
  }

  if (wanted('api')) {
    report.section('api', 'ConfigMaps, keep-alive HTTPS clients with the admin certificate')
    kcluster(['start', '--name', 'api', '--driver', 'sim'], env)
    const client = clusterClient(env.KCLUSTER_HOME, 'api')
    try {
      await apiFigures({client, report, runs: RUNS, n: quick ? 60 : 300})
      await watchFigures({client, report, watchers: 100, runs: RUNS, createsPerRun: quick ? 30 : 100})
    } finally {
      client.close()
      kcluster(['delete', '--name', 'api'], env)
    }
  }

  if (wanted('pods')) {
    report.section('pods', 'pods on the simulated runtime, kubectl get pods')
    await podFigures({env, report, runs: quick ? 1 : RUNS, pods: quick ? 500 : 5000, idleRss: !quick})
    if (quick) report.skip('the 5,000-pod run (3 runs)', 'quick mode runs 500 pods once')
  }

  if (wanted('store')) {
    report.section('store', "durable writes: kcluster's store vs Debian's etcd-server")
    await storeFigures({report, runs: RUNS, writes: quick ? 300 : 2000})
  }

  if (wanted('scale')) {
    report.section('scale', 'Deployments x 100 replicas on simulated nodes')
    await scaleFigures({env, report, ...(quick ? {deployments: 10, nodes: 10, runs: 1} : {deployments: 100, nodes: 100, runs: RUNS})})
    if (quick) report.skip('the 10,000-pod run over 100 nodes (3 runs)', 'quick mode runs 10 x 100 pods on 10 nodes once')
    if (quick) report.skip('scheduler alone over 10,000 pods (3 runs)', 'quick mode binds 2,000 pods once')
    schedulerFigures({report, pods: quick ? 2_000 : 10_000, runs: quick ? 1 : RUNS})
  }

  if (wanted('docker')) {
    report.section('docker', 'the Docker runtime')
    if (!(await dockerAnswers())) report.skip('docker and network figures', 'no Docker engine answers')
    else {
      await dockerFigures({env, report, runs: quick ? 1 : RUNS, rssWith50: !quick})
      if (quick) report.skip('network figures (bench/network.mjs)', 'quick mode (about a minute of load)')
      else await networkFigures({env, quick, record: report.record})
    }
  }
} finally {
  // A section that failed half-way may leave a control plane running: delete every cluster it made.
  for (const name of existsSync(env.KCLUSTER_HOME) ? readdirSync(env.KCLUSTER_HOME) : []) {
    try {
      kcluster(['delete', '--name', name], env)
    } catch (error) {
      console.error(`bench clean-up: delete ${name}: ${error.message}`)
    }
  }
  cleanup()
}
report.finish()
