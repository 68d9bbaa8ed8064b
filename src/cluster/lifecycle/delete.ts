// `kcluster delete`: stop the control plane if it runs, remove the state directory, and take the
// cluster's entries out of the kubeconfig `start` wrote to (and out of today's $KUBECONFIG, if different).
import {access} from 'node:fs/promises'
import type Dockerode from 'dockerode'
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

export interface DeleteOptions extends StopOptions {
  home?: string
  env?: NodeJS.ProcessEnv
  /** The engine client for a Docker cluster's containers and network; the default one reads DOCKER_HOST or the socket. */
  docker?: Dockerode
  /** Pause between network removal rounds (tests make it 0). */
  networkRetryDelayMs?: number
}

export async function deleteCluster(name: string, options: DeleteOptions = {}): Promise<DeleteResult> {
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
    const {removeEverything, describeNetworksLeft} = await import('../runtime/docker/index.js')
    const removed = await removeEverything(name, {docker: options.docker, networkRemoval: {delayMs: options.networkRetryDelayMs}})
    if (removed.networksLeft.length > 0) {
      // The state dir stays, so that `kcluster delete` run again (once the engine lets go) finds the network.
      const {message, fix} = describeNetworksLeft(removed.networksLeft, `kcluster delete --name ${name}`)
      throw new ClusterError('DeleteIncomplete', `cluster "${name}" was not completely deleted: ${message}`, {
        why: 'the engine still lists an endpoint on the network, after every endpoint was disconnected by force and the removal retried; Docker 20.10 keeps such phantom endpoints of removed containers until it restarts',
        fix,
      })
    }
  }
  if (exists) await removeStateDir(paths)

  const files = [...new Set([config?.kubeconfig, kubeconfigPath(options.env)].filter((f): f is string => Boolean(f)))]
  const cleaned: string[] = []
  for (const file of files) {
    if (await removeFromKubeconfig(file, name)) cleaned.push(file)
  }
  return {name, deleted: exists || cleaned.length > 0, stoppedPid: stop?.pid, stateDir: paths.dir, kubeconfigs: cleaned}
}
