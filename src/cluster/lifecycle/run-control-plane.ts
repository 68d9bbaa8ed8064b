// Running a cluster's control plane in the current process: the body of the hidden
// `kcluster control-plane` command (the detached daemon) and of `kcluster start --foreground`.
// The control plane module is imported lazily so KCLUSTER_LOG_LEVEL, set by the caller first, is
// what its logger is created with.
import {ensureCertificates} from '../pki/certificates.js'
import {ClusterError} from './cluster-error.js'
import {removePidIfOwned, runningPid, writePid} from './pid-file.js'
import {nameArg, readConfig, statePaths, type StatePaths} from './state-dir.js'

export interface RunningControlPlane {
  url: string
  paths: StatePaths
  /** Stops every component and removes the pid file. Safe to call twice. */
  stop(): Promise<void>
}

export async function runControlPlane(name: string, home?: string): Promise<RunningControlPlane> {
  const paths = statePaths(name, home)
  const config = await readConfig(paths)
  if (!config) {
    throw new ClusterError('NotFound', `cluster "${name}" has no state in ${paths.dir}`, {fix: `create it with: kcluster start${nameArg(name)}`})
  }
  const {pid} = await runningPid(paths.pid, name)
  if (pid !== undefined && pid !== process.pid) {
    throw new ClusterError('StartFailed', `cluster "${name}" is already running (pid ${pid})`, {fix: `stop it first with: kcluster stop${nameArg(name)}`})
  }
  const certificates = await ensureCertificates(paths.pki)
  const {startControlPlane} = await import('../controlplane/control-plane.js')
  const controlPlane = await startControlPlane({
    name,
    stateDir: paths.dir,
    port: config.port,
    driver: config.driver,
    certificates,
    simStartDelayMs: config.simStartDelayMs,
    nodeMaxPods: config.nodePods,
    nodeCount: config.nodes,
    nodeCpu: config.nodeCpu,
    nodeMemory: config.nodeMemory,
    nodeMonitorGracePeriodMs: config.nodeMonitorGraceMs,
  })
  await writePid(paths.pid)

  let stopping: Promise<void> | undefined
  return {
    url: controlPlane.url,
    paths,
    stop: () => {
      stopping ??= (async () => {
        try {
          await controlPlane.stop()
        } finally {
          await removePidIfOwned(paths.pid)
        }
      })()
      return stopping
    },
  }
}
