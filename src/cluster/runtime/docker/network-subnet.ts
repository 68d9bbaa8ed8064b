// The subnet of a new cluster network. kcluster asks for one explicitly (instead of Docker's pick) so
// that half of it can hold ClusterIPs (docs/networking.md "Addresses"): a /16 from 10.200.0.0 to
// 10.250.0.0 that overlaps no Docker network and no address of the host's interfaces, preferring the
// one the cluster used before (its Services keep their ClusterIPs when the network is made again).
import {networkInterfaces} from 'node:os'
import type Dockerode from 'dockerode'
import {Cidr} from '../../network/cidr.js'

const FIRST_SECOND_OCTET = 200
const LAST_SECOND_OCTET = 250

export async function chooseSubnet(docker: Dockerode, preferred?: string): Promise<string | undefined> {
  const taken = [...(await dockerSubnets(docker)), ...hostSubnets()]
  const free = (candidate: Cidr) => !taken.some((t) => t.overlaps(candidate))
  if (preferred) {
    const wanted = Cidr.parse(preferred)
    if (free(wanted)) return wanted.toString()
  }
  for (let octet = FIRST_SECOND_OCTET; octet <= LAST_SECOND_OCTET; octet++) {
    const candidate = Cidr.parse(`10.${octet}.0.0/16`)
    if (free(candidate)) return candidate.toString()
  }
  return undefined
}

async function dockerSubnets(docker: Dockerode): Promise<Cidr[]> {
  const networks = (await docker.listNetworks()) as Array<{IPAM?: {Config?: Array<{Subnet?: string}>}}>
  return networks.flatMap((n) => n.IPAM?.Config ?? []).flatMap((c) => parsed(c.Subnet))
}

function hostSubnets(): Cidr[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((address) => (address && address.family === 'IPv4' && address.cidr ? parsed(address.cidr) : []))
}

function parsed(text: string | undefined): Cidr[] {
  if (!text || text.includes(':')) return []
  try {
    return [Cidr.parse(text)]
  } catch {
    return []
  }
}
