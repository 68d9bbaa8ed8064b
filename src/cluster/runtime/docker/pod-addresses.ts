// Pod IPs chosen by kcluster, not by Docker. A sandbox created with a fixed address keeps it when it is
// stopped and started again (`kcluster stop`/`start`, an engine restart), whereas Docker hands dynamic
// addresses out again in start order, so pods would swap IPs and their Services would route to the
// wrong pod until every status caught up. Docker does not reserve a stopped container's fixed
// address, so the pool counts every sandbox's configured address as taken, and a start that still
// finds its address in use (a foreign container on the network) is retried on another.
import type Dockerode from 'dockerode'
import type {ContainerInfo} from 'dockerode'
import {Cidr} from '../../network/cidr.js'
import {clusterIpam, clusterNetworkName} from './cluster-network.js'
import {LABEL} from './labels.js'

/** A chosen address, held back from other sandboxes until `release` (once the sandbox exists and shows it). */
export interface AddressLease {
  ip?: string
  release(): void
}

export class PodAddressPool {
  /** Addresses handed out whose sandboxes may not be listed yet. */
  private readonly pending = new Set<string>()
  /** Where the next search starts: addresses are not reused at once, so a deleted pod's IP is not a new pod's a moment later. */
  private cursor = 0
  private queue: Promise<unknown> = Promise.resolve()
  /** The pod range, read once: it changes only if the network is made again (then `forget`). */
  private range?: Promise<string | undefined>

  constructor(
    private readonly docker: Dockerode,
    private readonly cluster: string,
  ) {}

  /**
   * A free address of the pod range, or none (Docker then chooses) on a network made by an earlier
   * kcluster, whose subnet Docker picked itself: fixed addresses need a user-configured subnet.
   * `preferred` (the address of a sandbox being made again) is taken when it is in the range and free.
   */
  lease(preferred?: string): Promise<AddressLease> {
    const next = this.queue.then(() => this.choose(preferred))
    this.queue = next.catch(() => undefined)
    return next
  }

  private async choose(preferred?: string): Promise<AddressLease> {
    this.range ??= clusterIpam(this.docker, this.cluster).then((ipam) => ipam?.ipRange)
    const ipRange = await this.range.catch((error) => {
      this.range = undefined
      throw error
    })
    if (!ipRange) {
      this.range = undefined
      return {release: () => undefined}
    }
    const range = Cidr.parse(ipRange)
    const taken = await this.takenAddresses()
    if (preferred && range.contains(preferred) && !taken.has(preferred) && !this.pending.has(preferred)) {
      this.pending.add(preferred)
      return {ip: preferred, release: () => this.pending.delete(preferred)}
    }
    // Offsets 0 and 1 are the network and its gateway; the top two, kcluster-net and the range's end.
    const first = 2
    const count = range.size - 4
    for (let i = 0; i < count; i++) {
      const offset = first + ((this.cursor + i) % count)
      const ip = range.nth(offset)
      if (taken.has(ip) || this.pending.has(ip)) continue
      this.cursor = (offset - first + 1) % count
      this.pending.add(ip)
      return {ip, release: () => this.pending.delete(ip)}
    }
    throw new Error(`no free pod address left in ${ipRange}`)
  }

  /** The network was made again (it went away behind kcluster's back): read its range afresh. */
  forget(): void {
    this.range = undefined
  }

  /** Every address a container on the network holds or will ask for when it starts. */
  private async takenAddresses(): Promise<Set<string>> {
    const network = clusterNetworkName(this.cluster)
    const [ours, attached] = await Promise.all([
      this.docker.listContainers({all: true, filters: {label: [`${LABEL.cluster}=${this.cluster}`]}}),
      this.docker.listContainers({filters: {network: [network]}}),
    ])
    const taken = new Set<string>()
    for (const c of [...ours, ...attached]) for (const ip of addressesOn(c, network)) taken.add(ip)
    return taken
  }
}

function addressesOn(container: ContainerInfo, network: string): string[] {
  const endpoint = container.NetworkSettings?.Networks?.[network] as {IPAddress?: string; IPAMConfig?: {IPv4Address?: string} | null} | undefined
  return [endpoint?.IPAddress, endpoint?.IPAMConfig?.IPv4Address].filter((ip): ip is string => Boolean(ip))
}

/** The engine's answer when a start asks for an address another container holds. */
export function isAddressInUse(error: unknown): boolean {
  return /address already in use/i.test(String((error as {message?: unknown})?.message ?? error))
}
