// Pods through the whole control plane on the simulated runtime: creates from 8 concurrent clients
// (each pod is then bound by the scheduler and run by the agent: 4 writes per pod) against ConfigMap
// creates in the same cluster (API and store only: the baseline); time until all are Running; RSS;
// and `kubectl get pods` over all of them against `kubectl get namespaces`. Each run is a fresh cluster.
import {clusterClient, createMany, kcluster, rssMiB, run, stats, timed, untilAllRunning} from './lib.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export async function podFigures({env, report, runs, pods, idleRss}) {
  const load = {cm: [], cmP99: [], pod: [], podP50: [], podP99: [], allRunning: [], rss: [], rssIdle: [], getPods: [], getNs: []}
  for (let round = 0; round < runs; round++) {
    const name = `pods-${round}`
    // A kubelet admits 110 pods by default; this node is sized for the load.
    kcluster(['start', '--name', name, '--driver', 'sim', '--node-pods', String(pods + 100)], env)
    const c = clusterClient(env.KCLUSTER_HOME, name)
    try {
      await sleep(1000)
      const cm = await createMany(c, pods, (i) => ['/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `cm-${i}`}, data: {a: '1'}}])
      const created = await createMany(c, pods, (i) => ['/api/v1/namespaces/default/pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: `p-${i}`}, spec: {containers: [{name: 'c', image: 'busybox'}]}}])
      load.cm.push(cm.perSecond)
      load.cmP99.push(cm.p99)
      load.pod.push(created.perSecond)
      load.podP50.push(created.p50)
      load.podP99.push(created.p99)
      // Reads and memory are measured on a settled cluster: every pod bound and Running.
      load.allRunning.push(await untilAllRunning(c, pods, created.startedAt))
      load.rss.push(rssMiB(c.pid))
      load.getNs.push(stats(Array.from({length: 3}, () => timed(() => run('kubectl', ['--context', name, 'get', 'namespaces'], env)).ms)).median)
      load.getPods.push(stats(Array.from({length: 3}, () => timed(() => run('kubectl', ['--context', name, 'get', 'pods'], env)).ms)).median)
      if (idleRss) {
        // After 10 s without requests the control plane trims its heap; give it one more check interval.
        await sleep(17_000)
        load.rssIdle.push(rssMiB(c.pid))
      }
    } finally {
      c.close()
      kcluster(['delete', '--name', name], env)
    }
  }
  const med = (xs) => stats(xs).median
  report.record(`create configmap throughput (${pods}, 8 clients, baseline)`, '/s', load.cm)
  report.record(`create configmap p99 (${pods}, 8 clients, baseline)`, 'ms', load.cmP99)
  report.record(`create pod throughput (${pods} pods, 8 clients)`, '/s', load.pod, {note: `${(med(load.pod) / med(load.cm)).toFixed(2)}x the configmap baseline`})
  report.record(`create pod p50 (${pods} pods, 8 clients)`, 'ms', load.podP50)
  report.record(`create pod p99 (${pods} pods, 8 clients)`, 'ms', load.podP99)
  report.record(`all ${pods} pods Running, from the first create`, 'ms', load.allRunning, {note: 'simulated start delay 50 ms'})
  report.record(`control-plane RSS with ${pods} pods and ${pods} configmaps`, 'MiB', load.rss)
  if (idleRss) report.record('control-plane RSS with those objects, idle 17 s later', 'MiB', load.rssIdle)
  else report.skip('control-plane RSS with those objects, idle 17 s later', 'quick mode (17 s of waiting)')
  report.record('kubectl get namespaces (baseline)', 'ms', load.getNs, {note: 'median of 3 calls per run'})
  report.record(`kubectl get pods over ${pods} pods`, 'ms', load.getPods, {note: `median of 3 calls per run; ${(med(load.getPods) / med(load.getNs)).toFixed(1)}x baseline`})
}
