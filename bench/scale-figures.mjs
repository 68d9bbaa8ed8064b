// Issue 3's scale figures on the simulated runtime: Deployments x 100 replicas over as many simulated
// nodes (110 pods each) until all Running, the control plane's peak RSS, a 100-replica rolling update;
// then the scheduler alone (bench/scheduler-throughput.ts, from the sources with tsx).
import {execFileSync} from 'node:child_process'
import {clusterClient, kcluster, REPO, scaleRun, stats} from './lib.mjs'

export async function scaleFigures({env, report, deployments, nodes, runs}) {
  const scale = {scheduled: [], running: [], peak: [], rollout: []}
  for (let round = 0; round < runs; round++) {
    const name = `scale-${round}`
    kcluster(['start', '--name', name, '--driver', 'sim', '--nodes', String(nodes), '--node-pods', '110', '--node-cpu', '32', '--node-memory', '128Gi'], env)
    const c = clusterClient(env.KCLUSTER_HOME, name)
    try {
      await new Promise((r) => setTimeout(r, 1000))
      const r = await scaleRun(c, {deployments, replicas: 100})
      scale.scheduled.push(r.scheduledMs)
      scale.running.push(r.runningMs)
      scale.peak.push(r.peakRssMiB)
      scale.rollout.push(r.rolloutMs)
    } finally {
      c.close()
      kcluster(['delete', '--name', name], env)
    }
  }
  const pods = deployments * 100
  const note = `${deployments} Deployments x 100 on ${nodes} simulated nodes`
  report.record(`${pods} pods all Running, from the first Deployment create`, 'ms', scale.running, {note})
  report.record(`${pods} pods all bound (scheduler under full load)`, 'pods/s', scale.scheduled.map((ms) => pods / (ms / 1000)), {note})
  report.record(`control-plane peak RSS with ${pods} simulated pods`, 'MiB', scale.peak, {note: `${note}; VmHWM during the run`})
  report.record('100-replica rolling update (new image) to complete', 'ms', scale.rollout, {note: `${note}; maxSurge/maxUnavailable 25%`})
}

/** The scheduler alone: pods wait Pending on cordoned nodes, then every node is uncordoned at once. */
export function schedulerFigures({report, pods, runs}) {
  const results = Array.from({length: runs}, () =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/scheduler-throughput.ts', '--pods', String(pods), '--nodes', '100'], {cwd: REPO, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit']}).trim().split('\n').at(-1)),
  )
  const ms = results.map((r) => r.allBoundMs)
  report.record(`scheduler: ${pods} waiting pods bound over 100 nodes`, 'pods/s', results.map((r) => r.podsPerSecond), {note: `all bound in ${stats(ms).median} ms; pods/binding + Scheduled event each; kubelets off`})
}
