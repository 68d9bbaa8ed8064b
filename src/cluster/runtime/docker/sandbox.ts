// A pod's sandbox: the pause container that owns the pod's network namespace (its IP on the cluster
// network is the pod IP, fixed at creation so that it survives a stop and start). Created with the
// pod's first container, reused while the pod lives, adopted (and started again if it was stopped)
// after a restart, removed with the pod's last container.
import type Dockerode from 'dockerode'
import type {ContainerInfo} from 'dockerode'
import type {ContainerSpec} from '../runtime.js'
import {clusterNetworkName, ensureClusterNetwork} from './cluster-network.js'
import {sandboxCreateOptions} from './create-options.js'
import {DockerRuntimeError, engineStatus, tolerating} from './errors.js'
import {LABEL, labelFilter} from './labels.js'
import {isAddressInUse, type PodAddressPool} from './pod-addresses.js'
import {cannotStartAgain, createPastPhantom} from './engine-faults.js'
import {sandboxContainerName} from './container-names.js'

type PodIdentity = Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>

export interface Sandbox {
  id: string
  ip?: string
}

export interface SandboxDeps {
  docker: Dockerode
  cluster: string
  /** Makes the pause image present (memoized by the caller). */
  ensurePauseImage(): Promise<unknown>
  /** The subnet to ask for if the cluster network must be made (the one its Services were allocated from). */
  preferredSubnet?: string
  /** Chooses each new sandbox's fixed address. */
  addresses: Pick<PodAddressPool, 'lease' | 'forget'>
}

/** Every sandbox of the cluster (or of one pod), with its IP when running. */
export async function listSandboxes(docker: Dockerode, cluster: string, podUid?: string): Promise<ContainerInfo[]> {
  return docker.listContainers({all: true, filters: {label: labelFilter(cluster, 'sandbox', {[LABEL.podUid]: podUid})}})
}

export function sandboxIP(info: ContainerInfo): string | undefined {
  if (info.State !== 'running') return undefined
  const networks = Object.values(info.NetworkSettings?.Networks ?? {})
  return networks.find((n) => n.IPAddress)?.IPAddress || undefined
}

export async function ensureSandbox(deps: SandboxDeps, pod: PodIdentity): Promise<Sandbox> {
  const existing = await running(deps, pod)
  if (existing.sandbox) return existing.sandbox
  await deps.ensurePauseImage()
  await ensureClusterNetwork(deps.docker, deps.cluster, deps.preferredSubnet)
  // A sandbox made again keeps the address of the one it replaces: the pod's IP does not change.
  let address = existing.replacedAddress
  for (let attempt = 1; ; attempt++) {
    try {
      await createAndStart(deps, pod, address)
      break
    } catch (error) {
      // 409: another process created this pod's sandbox at the same moment; use theirs.
      if (engineStatus(error) === 409) break
      // A container kcluster does not know holds the address: take the next one.
      if (isAddressInUse(error) && attempt < MAX_ADDRESS_ATTEMPTS) {
        address = undefined
        continue
      }
      throw new DockerRuntimeError(`create the sandbox of pod ${pod.namespace}/${pod.podName}: ${(error as Error).message}`, 'SandboxError', {cause: error})
    }
  }
  const created = await running(deps, pod)
  if (!created.sandbox) throw new DockerRuntimeError(`the sandbox of pod ${pod.namespace}/${pod.podName} is not running`, 'SandboxError')
  return created.sandbox
}

const MAX_ADDRESS_ATTEMPTS = 3

async function createAndStart(deps: SandboxDeps, pod: PodIdentity, address?: string): Promise<void> {
  let lease = await deps.addresses.lease(address)
  const name = sandboxContainerName(pod)
  const create = () => createPastPhantom(deps.docker, name, () => deps.docker.createContainer(sandboxCreateOptions(deps.cluster, clusterNetworkName(deps.cluster), pod, lease.ip)))
  try {
    // 404: the pause image or the network went away since we checked (`kcluster delete` of another
    // cluster removes the image when it holds the last sandbox); make both again, once.
    const container = await create().catch(async (error) => {
      if (engineStatus(error) !== 404) throw error
      await deps.ensurePauseImage()
      await ensureClusterNetwork(deps.docker, deps.cluster, deps.preferredSubnet)
      deps.addresses.forget()
      lease.release()
      lease = await deps.addresses.lease(address)
      return create()
    })
    try {
      await container.start()
    } catch (error) {
      // Left created it would hold its address in every later choice, and 409 the next attempt's name.
      if (isAddressInUse(error)) await tolerating([404], () => container.remove({force: true}))
      throw error
    }
  } finally {
    lease.release()
  }
}

/** Removes the pod's sandbox unless one of its app containers (in any state) is still there. */
export async function removeSandboxIfUnused(docker: Dockerode, cluster: string, podUid: string): Promise<boolean> {
  const apps = await docker.listContainers({all: true, filters: {label: labelFilter(cluster, 'app', {[LABEL.podUid]: podUid})}})
  if (apps.length > 0) return false
  const sandboxes = await listSandboxes(docker, cluster, podUid)
  await Promise.all(sandboxes.map((s) => tolerating([404, 409], () => docker.getContainer(s.Id).remove({force: true}))))
  return sandboxes.length > 0
}

/**
 * The pod's running sandbox, started again if it was stopped (after `kcluster stop`, a reboot or an
 * engine restart). A stopped one that cannot start again (cannotStartAgain) is removed, and its fixed
 * address returned for the one made in its place; any other failure (the engine going down) is thrown,
 * for the caller to retry: removing the sandbox then would give the pod a new IP for nothing.
 */
async function running(deps: SandboxDeps, pod: PodIdentity): Promise<{sandbox?: Sandbox; replacedAddress?: string}> {
  const found = await listSandboxes(deps.docker, deps.cluster, pod.podUid)
  const up = found.find((s) => s.State === 'running')
  if (up) return {sandbox: {id: up.Id, ip: sandboxIP(up)}}
  const stopped = found[0]
  if (!stopped) return {}
  try {
    await tolerating([304], () => deps.docker.getContainer(stopped.Id).start())
  } catch (error) {
    if (!cannotStartAgain(error)) throw new DockerRuntimeError(`start the sandbox of pod ${pod.namespace}/${pod.podName} again: ${(error as Error).message}`, 'SandboxError', {cause: error})
    await tolerating([404, 409], () => deps.docker.getContainer(stopped.Id).remove({force: true}))
    return {replacedAddress: isAddressInUse(error) ? undefined : fixedAddress(stopped)}
  }
  const info = await deps.docker.getContainer(stopped.Id).inspect()
  const ip = Object.values(info.NetworkSettings?.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress
  return {sandbox: {id: stopped.Id, ip: ip || undefined}}
}

/** The address the sandbox was created with (kept while it is stopped, unlike its IPAddress). */
function fixedAddress(info: ContainerInfo): string | undefined {
  const endpoints = Object.values(info.NetworkSettings?.Networks ?? {}) as Array<{IPAMConfig?: {IPv4Address?: string} | null}>
  return endpoints.find((n) => n.IPAMConfig?.IPv4Address)?.IPAMConfig?.IPv4Address || undefined
}
