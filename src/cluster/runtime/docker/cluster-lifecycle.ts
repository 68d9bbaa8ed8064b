// Whole-cluster operations for `kcluster stop` and `kcluster delete`, driven by labels alone so they
// work without a control plane (after a crash, or from another process).
import Docker from 'dockerode'
import {tolerating} from './errors.js'
import {labelFilter, type ContainerRole} from './labels.js'
import {removeClusterNetworks, type NetworkLeft, type NetworkRemovalOptions} from './network-removal.js'
import {PAUSE_IMAGE} from './pause-image.js'

export interface ClusterLifecycleOptions {
  docker?: Docker
  /** Time app containers get between SIGTERM and SIGKILL. */
  graceSeconds?: number
}

/** Stops every running app container of the cluster, then the sandboxes. Containers stay, to be adopted on the next start. */
export async function stopAllContainers(cluster: string, opts: ClusterLifecycleOptions = {}): Promise<{stopped: number}> {
  const docker = opts.docker ?? new Docker()
  const grace = opts.graceSeconds ?? 10
  const stopRunning = async (role: ContainerRole, t: number) => {
    const running = await docker.listContainers({filters: {label: labelFilter(cluster, role), status: ['running']}})
    await Promise.all(running.map((c) => tolerating([304, 404], () => docker.getContainer(c.Id).stop({t}))))
    return running.length
  }
  // Apps first: stopping a sandbox first would cut their network while they shut down.
  const apps = await stopRunning('app', grace)
  const sandboxes = await stopRunning('sandbox', 2)
  // kcluster-net last: it holds the ClusterIPs the apps may have used while stopping.
  const net = await stopRunning('net', 2)
  return {stopped: apps + sandboxes + net}
}

export interface RemovedEverything {
  containers: number
  networks: number
  /** Networks still there after every endpoint was disconnected and the removal retried (a phantom endpoint). */
  networksLeft: NetworkLeft[]
  pauseImageRemoved: boolean
}

/**
 * Removes every container and network of the cluster, and the pause image once no cluster uses it.
 * A network that cannot be removed is reported in `networksLeft`, not thrown: the rest goes regardless.
 */
export async function removeEverything(cluster: string, opts: Omit<ClusterLifecycleOptions, 'graceSeconds'> & {networkRemoval?: NetworkRemovalOptions} = {}): Promise<RemovedEverything> {
  const docker = opts.docker ?? new Docker()
  const containers = await docker.listContainers({all: true, filters: {label: labelFilter(cluster)}})
  await Promise.all(containers.map((c) => tolerating([404, 409], () => docker.getContainer(c.Id).remove({force: true, v: true}))))
  const networks = await removeClusterNetworks(docker, cluster, opts.networkRemoval)
  const otherSandboxes = await docker.listContainers({all: true, filters: {label: labelFilter(undefined, 'sandbox')}})
  let pauseImageRemoved = false
  if (otherSandboxes.length === 0) {
    // 409: a container outside kcluster's labels uses it; leave it.
    pauseImageRemoved = (await tolerating([404, 409], () => docker.getImage(PAUSE_IMAGE).remove())) !== undefined
  }
  return {containers: containers.length, networks: networks.removed, networksLeft: networks.left, pauseImageRemoved}
}
