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
  /** kcluster-net as a `kcluster status` component. */
  health(): {name: string; healthy: boolean; message: string}
  stop(): void
}

/**
 * How long kcluster-net may be unreachable before `kcluster status` calls it unhealthy: it is made
 * and connected within a second or two of a start (or of the engine coming back), and a status
 * asked in that moment should not read Degraded.
 */
export const NET_UNREACHABLE_GRACE_MS = 10_000

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
  return {dns: {nameserver: dnsIP, zone: CLUSTER_ZONE}, health: () => netComponent(controller.connection(), opts.clock.now()), stop: () => controller.stop()}
}

/** kcluster-net's control connection as a status component: unhealthy once it has been down longer than the grace. */
export function netComponent(connection: ReturnType<NetworkController['connection']>, now: Date): {name: string; healthy: boolean; message: string} {
  if (connection.connected) return {name: 'kcluster-net', healthy: true, message: `connected to ${connection.target}`}
  const downMs = now.getTime() - connection.since.getTime()
  const why = connection.lastError ? ` (${connection.lastError})` : ''
  return {name: 'kcluster-net', healthy: downMs < NET_UNREACHABLE_GRACE_MS, message: `not connected for ${Math.floor(downMs / 1000)}s${why}: ClusterIPs and cluster DNS do not answer`}
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
