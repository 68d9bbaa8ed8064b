// npm run bench [-- --quick] [-- --json]: the figures kcluster promises, measured on this machine.
// Each figure is the median of several runs; where a baseline makes sense it is measured in the same run.
import {kcluster, tempHome, timed, stats, rssMiB, clusterClient, run, createMany, untilAllRunning, scaleRun, dockerAnswers, rawDockerPods, deploymentReady} from './lib.mjs'
import {execFileSync} from 'node:child_process'
import {networkFigures} from './network.mjs'
import {cpus, totalmem} from 'node:os'

const quick = process.argv.includes('--quick')
const asJson = process.argv.includes('--json')
const records = []
const record = (name, unit, value, extra = {}) => {
  records.push({name, unit, value: Math.round(value * 100) / 100, ...extra})
  if (!asJson) console.log(`${name.padEnd(52)} ${String(Math.round(value * 100) / 100).padStart(10)} ${unit}${extra.note ? `  (${extra.note})` : ''}`)
}

const RUNS = quick ? 3 : 5
const PODS = quick ? 1000 : 5000
const LOAD_RUNS = quick ? 1 : 3

const {env, cleanup} = tempHome()
const med = (xs) => stats(xs).median
try {
  // Baseline: the CLI's own start-up (node + oclif), measured in the same run as `start`.
  const cliBaseline = stats(Array.from({length: RUNS}, () => timed(() => kcluster(['--version'], env)).ms))
  record('cli baseline: kcluster --version', 'ms', cliBaseline.median)

  const cold = []
  const warm = []
  for (let i = 0; i < RUNS; i++) {
    const name = `bench-${i}`
    cold.push(timed(() => kcluster(['start', '--name', name, '--driver', 'sim'], env)).ms)
    kcluster(['stop', '--name', name], env)
    warm.push(timed(() => kcluster(['start', '--name', name, '--driver', 'sim'], env)).ms)
    if (i > 0) kcluster(['delete', '--name', name], env)
  }
  const coldS = stats(cold)
  const warmS = stats(warm)
  record('start to node Ready, cold (new cluster)', 'ms', coldS.median, {min: coldS.min, max: coldS.max, note: `${(coldS.median / cliBaseline.median).toFixed(1)}x cli baseline`})
  record('start to node Ready, warm (existing state)', 'ms', warmS.median, {min: warmS.min, max: warmS.max, note: `${(warmS.median / cliBaseline.median).toFixed(1)}x cli baseline`})

  const home = env.KCLUSTER_HOME
  const client = clusterClient(home, 'bench-0')
  await new Promise((r) => setTimeout(r, 3000))
  record('control-plane RSS at idle', 'MiB', rssMiB(client.pid))

  // Watch delivery: 10 watchers on configmaps; latency from sending a create to each watcher's event.
  const sentAt = new Map()
  const delivery = []
  const stops = []
  for (let w = 0; w < 10; w++)
    stops.push(client.watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0', (line) => {
      const ev = JSON.parse(line)
      const t = sentAt.get(ev.object.metadata.name)
      if (t && ev.type === 'ADDED') delivery.push(Number(process.hrtime.bigint() - t) / 1e6)
    }))
  await new Promise((r) => setTimeout(r, 500))
  for (let i = 0; i < 300; i++) {
    const name = `w-${i}`
    sentAt.set(name, process.hrtime.bigint())
    await client.request('POST', '/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {a: '1'}})
  }
  await new Promise((r) => setTimeout(r, 1000))
  stops.forEach((s) => s())
  const d = stats(delivery)
  record('watch delivery p50 (create sent -> event, 10 watchers)', 'ms', d.p50, {samples: d.n})
  record('watch delivery p99 (create sent -> event, 10 watchers)', 'ms', d.p99, {samples: d.n})

  client.close()
  kcluster(['delete', '--name', 'bench-0'], env)

  // Creates from 8 concurrent clients, each run on a fresh cluster: ConfigMaps first (API and store
  // only: the baseline), then Pods (each also bound and run by the agent: 4 writes per pod).
  const load = {cm: [], pod: [], podP50: [], podP99: [], cmP99: [], allRunning: [], rss: [], rssIdle: [], getPods: [], getNs: []}
  for (let round = 0; round < LOAD_RUNS; round++) {
    const name = `load-${round}`
    // A kubelet admits 110 pods by default; this node is sized for the load.
    kcluster(['start', '--name', name, '--driver', 'sim', '--node-pods', String(PODS + 100)], env)
    const c = clusterClient(home, name)
    await new Promise((r) => setTimeout(r, 1000))
    const cm = await createMany(c, PODS, (i) => ['/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `cm-${i}`}, data: {a: '1'}}])
    const pods = await createMany(c, PODS, (i) => ['/api/v1/namespaces/default/pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: `p-${i}`}, spec: {containers: [{name: 'c', image: 'busybox'}]}}])
    load.cm.push(cm.perSecond)
    load.cmP99.push(cm.p99)
    load.pod.push(pods.perSecond)
    load.podP50.push(pods.p50)
    load.podP99.push(pods.p99)
    // Reads and memory are measured on a settled cluster: every pod bound and Running.
    load.allRunning.push(await untilAllRunning(c, PODS, pods.startedAt))
    load.rss.push(rssMiB(c.pid))
    load.getNs.push(stats(Array.from({length: 3}, () => timed(() => run('kubectl', ['--context', name, 'get', 'namespaces'], env)).ms)).median)
    load.getPods.push(stats(Array.from({length: 3}, () => timed(() => run('kubectl', ['--context', name, 'get', 'pods'], env)).ms)).median)
    // After 10 s without requests the control plane trims its heap; give it one more check interval.
    await new Promise((r) => setTimeout(r, 17_000))
    load.rssIdle.push(rssMiB(c.pid))
    c.close()
    kcluster(['delete', '--name', name], env)
  }
  const runsNote = `median of ${LOAD_RUNS} runs`
  record(`create configmap per second (${PODS}, 8 clients, baseline)`, '/s', med(load.cm), {note: runsNote, runs: load.cm})
  record(`create configmap p99 (${PODS}, 8 clients, baseline)`, 'ms', med(load.cmP99), {note: runsNote, runs: load.cmP99})
  record(`create pod per second (${PODS} pods, 8 clients)`, '/s', med(load.pod), {note: `${runsNote}; ${(med(load.pod) / med(load.cm)).toFixed(2)}x the configmap baseline`, runs: load.pod})
  record(`create pod p50 (${PODS} pods, 8 clients)`, 'ms', med(load.podP50), {note: runsNote, runs: load.podP50})
  record(`create pod p99 (${PODS} pods, 8 clients)`, 'ms', med(load.podP99), {note: runsNote, runs: load.podP99})
  record(`all ${PODS} pods Running, from the first create`, 'ms', med(load.allRunning), {note: `${runsNote}; simulated start delay 50 ms`, runs: load.allRunning})
  record(`control-plane RSS with ${PODS} pods and ${PODS} configmaps`, 'MiB', med(load.rss), {note: runsNote, runs: load.rss})
  record(`control-plane RSS with those objects, idle 17 s later`, 'MiB', med(load.rssIdle), {note: runsNote, runs: load.rssIdle})
  record('kubectl get namespaces (baseline)', 'ms', med(load.getNs), {note: runsNote})
  record(`kubectl get pods over ${PODS} pods`, 'ms', med(load.getPods), {note: `${runsNote}; ${(med(load.getPods) / med(load.getNs)).toFixed(1)}x baseline`, runs: load.getPods})

  // Issue 3's scale figure: Deployments x 100 replicas on as many simulated nodes (110 pods each),
  // all Running; then a 100-replica rolling update. Quick mode runs a fifth of it once.
  const SCALE = quick ? {deployments: 20, nodes: 20, runs: 1} : {deployments: 100, nodes: 100, runs: 3}
  const scale = {scheduled: [], running: [], peak: [], rollout: []}
  for (let round = 0; round < SCALE.runs; round++) {
    const name = `scale-${round}`
    kcluster(['start', '--name', name, '--driver', 'sim', '--nodes', String(SCALE.nodes), '--node-pods', '110', '--node-cpu', '32', '--node-memory', '128Gi'], env)
    const c = clusterClient(home, name)
    await new Promise((r) => setTimeout(r, 1000))
    const r = await scaleRun(c, {deployments: SCALE.deployments, replicas: 100})
    scale.scheduled.push(r.scheduledMs)
    scale.running.push(r.runningMs)
    scale.peak.push(r.peakRssMiB)
    scale.rollout.push(r.rolloutMs)
    c.close()
    kcluster(['delete', '--name', name], env)
  }
  const pods = SCALE.deployments * 100
  const scaleNote = `${SCALE.deployments} Deployments x 100 on ${SCALE.nodes} simulated nodes; median of ${SCALE.runs}`
  record(`${pods} pods all Running, from the first Deployment create`, 'ms', med(scale.running), {note: scaleNote, runs: scale.running})
  record(`${pods} pods all bound (scheduler under full load)`, '/s', pods / (med(scale.scheduled) / 1000), {note: scaleNote, runs: scale.scheduled})
  record(`control-plane peak RSS during the ${pods}-pod run`, 'MiB', med(scale.peak), {note: scaleNote, runs: scale.peak})
  record('100-replica rolling update (new image) to complete', 'ms', med(scale.rollout), {note: `${scaleNote}; maxSurge/maxUnavailable 25%`, runs: scale.rollout})

  // The scheduler alone: pods wait Pending on cordoned nodes, then every node is uncordoned at once;
  // kubelets are off so only binding (and its Scheduled event) is measured. From the sources (tsx).
  const schedPods = quick ? 2000 : 10_000
  const sched = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/scheduler-throughput.ts', '--pods', String(schedPods), '--nodes', '100'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']}).trim().split('\n').at(-1))
  record(`scheduler: ${schedPods} waiting pods bound over 100 nodes`, '/s', sched.podsPerSecond, {note: `all bound in ${sched.allBoundMs} ms; pods/binding + Scheduled event each`})

  // Issues 4 and 5 on Docker: a 10-replica Deployment to all Ready against `docker run -d` of the
  // same 10 sandbox + httpd pairs in the same run; the control plane's RSS with 50 running pods; then
  // the Service paths against the direct pod IP and the DNS answer time (bench/network.mjs).
  if (await dockerAnswers()) {
    const pod = {image: 'kcluster-test/busybox:1', command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www']}
    const DOCKER_RUNS = quick ? 1 : 3
    const viaKcluster = []
    const raw = []
    let rss50
    for (let round = 0; round < DOCKER_RUNS; round++) {
      const name = `docker-${round}`
      const started = kcluster(['start', '--name', name, '--driver', 'docker'], env)
      const c = clusterClient(home, name)
      await new Promise((r) => setTimeout(r, 1000))
      viaKcluster.push(await deploymentReady(c, 'web', 10, pod))
      raw.push(await rawDockerPods(10, {image: pod.image, command: pod.command}))
      if (round === 0) {
        await deploymentReady(c, 'more', 40, pod)
        await new Promise((r) => setTimeout(r, 3000))
        rss50 = rssMiB(c.pid)
      }
      c.close()
      kcluster(['delete', '--name', name], env)
    }
    const k = med(viaKcluster)
    const d = med(raw)
    const dockerNote = `median of ${DOCKER_RUNS}; same-run docker run -d of 10 sandbox+httpd pairs: ${Math.round(d)} ms`
    record('docker: 10-replica Deployment to all Ready', 'ms', k, {note: `${dockerNote}; ${(k / d).toFixed(2)}x`, runs: viaKcluster})
    record('docker: baseline docker run -d of the same 10 pods', 'ms', d, {runs: raw})
    record('docker: agent overhead per pod', 'ms', (k - d) / 10, {note: '(Deployment time - docker run time) / 10'})
    record('docker: control-plane RSS with 50 running pods', 'MiB', rss50)
    await networkFigures({env, quick, record})
  } else if (!asJson) console.log('docker figures skipped: no Docker engine answers')
} finally {
  cleanup()
}

const machine = {node: process.version, cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), cpuModel: cpus()[0]?.model}
if (asJson) console.log(JSON.stringify({machine, quick, records}, null, 2))
else console.log(`\nmachine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memGiB} GiB, node ${machine.node}${quick ? ' (quick mode)' : ''}`)
