// One user-defined bridge network per cluster: pods reach each other by IP on it, and the host reaches
// pods through its bridge. Found again by label, created on first use.
import type Dockerode from 'dockerode'
import {engineStatus} from './errors.js'
import {LABEL} from './labels.js'
import {Cidr} from '../../network/cidr.js'
import {splitNetwork} from '../../network/cluster-addressing.js'
import {chooseSubnet} from './network-subnet.js'

export function clusterNetworkName(cluster: string): string {
  return `kcluster-${cluster}`
}

/** Creations under way, by cluster: the agent starts many pods at once, and the engine's duplicate check races. */
const creating = new Map<string, Promise<string>>()

/** The cluster's network name, creating the network if no network labelled for this cluster exists. */
export function ensureClusterNetwork(docker: Dockerode, cluster: string, preferredSubnet?: string): Promise<string> {
  let pending = creating.get(cluster)
  if (!pending) {
    pending = createOnce(docker, cluster, preferredSubnet).finally(() => creating.delete(cluster))
    creating.set(cluster, pending)
  }
  return pending
}

async function createOnce(docker: Dockerode, cluster: string, preferredSubnet?: string): Promise<string> {
  const name = clusterNetworkName(cluster)
  if (await findClusterNetwork(docker, cluster)) {
    await removeDuplicates(docker, cluster)
    return name
  }
  try {
    // CheckDuplicate: without it an old engine happily creates a second network of the same name.
    // Docker hands pod IPs only from the lower half (IPRange); the upper half is the cluster's Service range.
    const subnet = await chooseSubnet(docker, preferredSubnet)
    const ipam = subnet && {Config: [{Subnet: subnet, IPRange: splitNetwork(subnet).podCIDR, Gateway: Cidr.parse(subnet).nth(1)}]}
    await docker.createNetwork({Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: {[LABEL.cluster]: cluster}, ...(ipam && {IPAM: ipam})})
  } catch (error) {
    // Another runtime created it at the same moment.
    if (engineStatus(error) !== 409) throw error
  }
  return name
}

/**
 * Networks are addressed by name, so two of the same name make every sandbox create fail
 * ("network ... is ambiguous"); such twins (left by an older kcluster or a concurrent process) are
 * reduced to one: those without containers go, oldest kept.
 */
async function removeDuplicates(docker: Dockerode, cluster: string): Promise<void> {
  const twins = (await docker.listNetworks({filters: {label: [`${LABEL.cluster}=${cluster}`]}})).filter((n) => n.Name === clusterNetworkName(cluster))
  if (twins.length < 2) return
  const detailed = await Promise.all(twins.map((n) => docker.getNetwork(n.Id).inspect() as Promise<{Id: string; Created: string; Containers?: Record<string, unknown>}>))
  detailed.sort((a, b) => Object.keys(b.Containers ?? {}).length - Object.keys(a.Containers ?? {}).length || a.Created.localeCompare(b.Created))
  for (const extra of detailed.slice(1)) {
    if (Object.keys(extra.Containers ?? {}).length > 0) continue
    await docker.getNetwork(extra.Id).remove().catch(() => undefined)
  }
}

/** The IPv4 subnet of the cluster's network, the range Docker hands container IPs from and the host's gateway address, once it exists. */
export async function clusterIpam(docker: Dockerode, cluster: string): Promise<{subnet?: string; ipRange?: string; gateway?: string} | undefined> {
  const id = await findClusterNetwork(docker, cluster)
  if (!id) return undefined
  const info = (await docker.getNetwork(id).inspect()) as {IPAM?: {Config?: Array<{Subnet?: string; IPRange?: string; Gateway?: string}>}}
  const config = info.IPAM?.Config?.find((c) => c.Subnet && !c.Subnet.includes(':'))
  return config && {subnet: config.Subnet, ipRange: config.IPRange || undefined, gateway: config.Gateway || undefined}
}

export async function findClusterNetwork(docker: Dockerode, cluster: string): Promise<string | undefined> {
  const networks = await docker.listNetworks({filters: {label: [`${LABEL.cluster}=${cluster}`]}})
  return networks.find((n) => n.Name === clusterNetworkName(cluster))?.Id
}
