// Service networking inside a Docker cluster (docs/networking.md): kcluster-net holds the ClusterIPs
// and answers DNS; the NetworkController feeds it from the informers. Only for a runtime whose pods
// share a network with a Service half (a Docker network made by this kcluster); elsewhere pods keep
// the runtime's resolver and ClusterIPs stay unreachable, as before.
import {randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {ClusterDns} from '../agent/container-config/pod-dns.js'
import type {Clock} from '../clock.js'
import type {SharedInformerFactory} from '../controllers/informers/shared-informer-factory.js'
import {clusterDnsIP, SIMULATED_ADDRESSING, type ClusterAddressing} from '../network/cluster-addressing.js'
import {NetworkController} from '../network/net-controller.js'
import {CLUSTER_ZONE} from '../network/net-state.js'
import type {NodeRuntime} from './create-runtime.js'

export interface InClusterNetwork {
  dns: ClusterDns
  stop(): void
}

export async function startInClusterNetwork(opts: {
  nodeRuntime: NodeRuntime
  addressing: ClusterAddressing
  stateDir: string
  informers: SharedInformerFactory
  clock: Clock
}): Promise<InClusterNetwork | undefined> {
  const network = opts.nodeRuntime.clusterNetwork
  if (!network || !clusterDnsAddress(opts.nodeRuntime, opts.addressing)) return undefined
  const token = netToken(opts.stateDir)
  const dnsIP = clusterDnsIP(opts.addressing.serviceCIDR)
  const controller = new NetworkController({
    informers: opts.informers,
    clock: opts.clock,
    addresses: {dnsIP},
    token,
    // Asked before every connection: kcluster-net is made again if it went away.
    target: async () => {
      const container = await network.ensureNetContainer(token)
      if (!container) throw new Error('the cluster network has no Service range')
      return {host: container.ip, port: container.controlPort}
    },
  })
  await controller.start()
  return {dns: {nameserver: dnsIP, zone: CLUSTER_ZONE}, stop: () => controller.stop()}
}

/** The cluster DNS Service's address where kcluster-net can serve it, else undefined. */
export function clusterDnsAddress(nodeRuntime: NodeRuntime, addressing: ClusterAddressing): string | undefined {
  return nodeRuntime.clusterNetwork && addressing.serviceCIDR !== SIMULATED_ADDRESSING.serviceCIDR ? clusterDnsIP(addressing.serviceCIDR) : undefined
}

/** The secret kcluster-net checks on every control connection, kept in the state dir so a restarted control plane adopts it. */
function netToken(stateDir: string): string {
  const file = join(stateDir, 'net-token')
  try {
    const token = readFileSync(file, 'utf8').trim()
    if (token.length >= 32) return token
  } catch {
    // first start: made below
  }
  const token = randomBytes(32).toString('hex')
  writeFileSync(file, `${token}\n`, {mode: 0o600})
  return token
}
