// Control-plane memory (RSS from /proc) on fresh simulated clusters: idle 3 s after start, then with
// 1,000 ConfigMaps of about 0.4 KiB created through the API. Baseline: an idle `node` process (the
// runtime's own floor) measured in the same run. The 10,000-pod figure comes from the scale section.
import {spawn} from 'node:child_process'
import {drive, expectStatus} from './drive.mjs'
import {clusterClient, kcluster, median, rssMiB} from './lib.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function idleNodeRss() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], {stdio: 'ignore'})
  try {
    await sleep(1000)
    return rssMiB(child.pid)
  } finally {
    child.kill('SIGKILL')
  }
}

export async function memoryFigures({env, report, runs, objects = 1000}) {
  const nodeRss = []
  const idle = []
  const loaded = []
  for (let run = 0; run < runs; run++) {
    const name = `memory-${run}`
    kcluster(['start', '--name', name, '--driver', 'sim'], env)
    const client = clusterClient(env.KCLUSTER_HOME, name)
    try {
      // The node baseline is taken while the cluster idles, so it costs no extra wall time.
      const [nodeMiB] = await Promise.all([idleNodeRss(), sleep(3000)])
      nodeRss.push(nodeMiB)
      idle.push(rssMiB(client.pid))
      await drive(objects, 8, async (i) =>
        expectStatus('create', [201], await client.request('POST', '/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `mem-${i}`}, data: {index: String(i), payload: 'x'.repeat(256)}})),
      )
      await sleep(2000)
      loaded.push(rssMiB(client.pid))
    } finally {
      client.close()
      kcluster(['delete', '--name', name], env)
    }
  }
  report.record('baseline: RSS of an idle node process', 'MiB', nodeRss)
  report.record('control-plane RSS at idle (3 s after start)', 'MiB', idle, {note: `+${(median(idle) - median(nodeRss)).toFixed(1)} MiB over the node baseline`})
  report.record(`control-plane RSS with ${objects} ConfigMaps`, 'MiB', loaded, {note: '2 s after the last create'})
}
