// Removing a cluster's Docker network for `kcluster delete`. Removing a network that still lists an
// endpoint fails ("network ... has active endpoints"), and under load Docker 20.10 has kept an
// endpoint of a container already removed (a phantom) that only a forced disconnect, or an engine
// restart, clears. So every endpoint the network lists is disconnected by force first, and the whole
// round is tried a bounded number of times; what is still there after that is reported, not hidden.
import type Dockerode from 'dockerode'
import {clusterNetworkName} from './cluster-network.js'
import {engineStatus} from './errors.js'
import {LABEL} from './labels.js'

export interface NetworkRemovalOptions {
  /** Rounds of disconnect-then-remove before giving up (default 5). */
  attempts?: number
  /** Pause between rounds (default 500 ms): the engine finishes a removed container's cleanup meanwhile. */
  delayMs?: number
  sleep?: (ms: number) => Promise<void>
}

/** A network of the cluster that could not be removed. */
export interface NetworkLeft {
  id: string
  name: string
  /** The endpoints it still listed (container names, or ids where it had no name). */
  endpoints: string[]
  /** The engine's answer to the last removal. */
  error: string
}

export interface NetworkRemoval {
  removed: number
  left: NetworkLeft[]
}

interface NetworkDetails {
  Id: string
  Name: string
  Containers?: Record<string, {Name?: string}>
}

export async function removeClusterNetworks(docker: Dockerode, cluster: string, opts: NetworkRemovalOptions = {}): Promise<NetworkRemoval> {
  const attempts = Math.max(1, opts.attempts ?? 5)
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const removedIds = new Set<string>()
  let left: NetworkLeft[] = []
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const networks = (await docker.listNetworks({filters: {label: [`${LABEL.cluster}=${cluster}`]}})).filter((n) => n.Name === clusterNetworkName(cluster))
    left = []
    for (const network of networks) {
      const failure = await removeOne(docker, network.Id)
      if (failure) left.push(failure)
      else removedIds.add(network.Id)
    }
    if (left.length === 0) break
    if (attempt < attempts) await sleep(opts.delayMs ?? 500)
  }
  return {removed: removedIds.size, left}
}

/** Disconnects every endpoint the network lists, by force, then removes it; undefined once it is gone. */
async function removeOne(docker: Dockerode, id: string): Promise<NetworkLeft | undefined> {
  const network = docker.getNetwork(id)
  let details: NetworkDetails
  try {
    details = (await network.inspect()) as NetworkDetails
  } catch (error) {
    if (engineStatus(error) === 404) return undefined
    throw error
  }
  const endpoints = Object.entries(details.Containers ?? {}).map(([containerId, endpoint]) => endpoint.Name || containerId)
  for (const endpoint of endpoints) {
    // Force: the engine then drops the endpoint even when its container no longer exists (a phantom).
    // A failure here is not fatal: the removal below reports what it still finds.
    await network.disconnect({Container: endpoint, Force: true}).catch(() => undefined)
  }
  try {
    await network.remove()
    return undefined
  } catch (error) {
    if (engineStatus(error) === 404) return undefined
    return {id: details.Id, name: details.Name, endpoints, error: (error as Error).message}
  }
}

/** What `kcluster delete` tells the user about networks it could not remove, and what to do. */
export function describeNetworksLeft(left: NetworkLeft[], rerun: string): {message: string; fix: string} {
  const names = left.map((n) => `${n.name} (${n.id.slice(0, 12)})${n.endpoints.length ? ` with endpoints ${n.endpoints.join(', ')}` : ''}`)
  return {
    message: `the Docker network${left.length > 1 ? 's' : ''} ${names.join('; ')} could not be removed: ${left[0]!.error}`,
    fix: `restart the Docker engine (sudo systemctl restart docker), which drops endpoints whose containers are gone, then run ${rerun} again, or remove the network yourself: ${left.map((n) => `docker network rm ${n.id.slice(0, 12)}`).join('; ')}`,
  }
}
