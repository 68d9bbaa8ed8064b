// `kcluster delete`: stop the control plane if it runs, remove the state directory, and take the
// cluster's entries out of the kubeconfig `start` wrote to (and out of today's $KUBECONFIG, if different).
import {access} from 'node:fs/promises'
import {kubeconfigPath} from '../kubeconfig/kubeconfig-file.js'
import {removeFromKubeconfig} from '../kubeconfig/remove.js'
import {ClusterError} from './cluster-error.js'
import {readConfig, removeStateDir, statePaths} from './state-dir.js'
import {stopControlPlane, type StopOptions} from './stop.js'

export interface DeleteResult {
  name: string
  /** False when there was nothing to delete. */
  deleted: boolean
  /** Pid of the control plane that was stopped first. */
  stoppedPid?: number
  stateDir: string
  /** Kubeconfig files the cluster's entries were removed from. */
  kubeconfigs: string[]
}

export async function deleteCluster(name: string, options: {home?: string; env?: NodeJS.ProcessEnv} & StopOptions = {}): Promise<DeleteResult> {
  const paths = statePaths(name, options.home)
  const exists = await access(paths.dir).then(() => true, () => false)
  // A config that cannot be read must not block deleting the cluster it belongs to.
  const config = await readConfig(paths).catch((error: unknown) => {
    if (error instanceof ClusterError) return undefined
    throw error
  })

  const stop = exists ? await stopControlPlane(paths.pid, name, options) : undefined
  // Docker clusters leave containers, a network and the pause image behind the control plane.
  if (config?.driver === 'docker') {
    const {removeEverything} = await import('../runtime/docker/index.js')
    await removeEverything(name)
  }
  if (exists) await removeStateDir(paths)

  const files = [...new Set([config?.kubeconfig, kubeconfigPath(options.env)].filter((f): f is string => Boolean(f)))]
  const cleaned: string[] = []
  for (const file of files) {
    if (await removeFromKubeconfig(file, name)) cleaned.push(file)
  }
  return {name, deleted: exists || cleaned.length > 0, stoppedPid: stop?.pid, stateDir: paths.dir, kubeconfigs: cleaned}
}
