// Registers one node's Node object and keeps it alive: the Lease in
// kube-node-lease is renewed every 10 s and the Ready condition's heartbeat refreshed every minute.
import {release} from 'node:os'
import type {Node, NodeCondition} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject, Mutable} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {rfc3339, type Clock} from '../clock.js'
import {logger} from '../log.js'
import {nodeObject, podCIDRSpec} from './node-spec.js'

const NODES = resourceOfKind('Node')
const LEASES = resourceOfKind('Lease')
const MANAGER = 'kubelet'
export const KUBELET_VERSION = 'v1.32.0-kcluster'

export interface NodeRegistrationOptions {
  nodeName: string
  hostIP: string
  runtimeName: string
  registry: ObjectRegistry
  clock: Clock
  /** The node's capacity, read again at every status refresh (its annotation may change). */
  capacity: (node: Node | undefined) => Record<string, string>
  /** Carries the control-plane role label (the cluster's first node). */
  controlPlane?: boolean
  /** The control-plane node's spec.podCIDR, where the runtime knows it. */
  podCIDR?: string
  leaseDurationSeconds?: number
  leaseRenewMs?: number
  statusRefreshMs?: number
}

export class NodeRegistration {
  private readonly abort = new AbortController()
  private loop?: Promise<void>
  private readonly log = logger('agent')

  constructor(private readonly opts: NodeRegistrationOptions) {}

  async register(): Promise<void> {
    const {registry, nodeName} = this.opts
    const existing = await registry.tryGet(NODES, undefined, nodeName)
    const {podCIDR, controlPlane = false} = this.opts
    if (!existing) {
      const node = nodeObject({name: nodeName, hostIP: this.opts.hostIP, controlPlane, podCIDR})
      await registry.create(NODES, undefined, node as unknown as KubeObject, {manager: MANAGER})
    } else if (controlPlane && podCIDR && (existing.spec as Node['spec'])?.podCIDR !== podCIDR) {
      // The runtime's range moved (the Docker network was made again with another subnet): the spec
      // follows the IPs pods really get. A real cluster never renumbers; a local one can lose its network.
      await registry.update(NODES, undefined, nodeName, (live) => ({...live!, spec: {...(live!.spec as object), ...podCIDRSpec(podCIDR)}}) as KubeObject, {manager: MANAGER})
    }
    await this.refreshStatus()
    await this.renewLease()
    this.log.info({node: nodeName}, 'node registered')
  }

  start(): void {
    this.loop = this.heartbeat()
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('agent stopping'))
    await this.loop?.catch(() => undefined)
  }

  private async heartbeat(): Promise<void> {
    const {clock} = this.opts
    const renewMs = this.opts.leaseRenewMs ?? 10_000
    const refreshMs = this.opts.statusRefreshMs ?? 60_000
    let sinceRefresh = 0
    while (!this.abort.signal.aborted) {
      try {
        await clock.sleep(renewMs, this.abort.signal)
      } catch {
        return
      }
      sinceRefresh += renewMs
      try {
        await this.renewLease()
        if (sinceRefresh >= refreshMs) {
          sinceRefresh = 0
          await this.refreshStatus()
        }
      } catch (error) {
        this.log.warn({err: error}, 'node heartbeat failed')
      }
    }
  }

  private async refreshStatus(): Promise<void> {
    const {registry, nodeName, clock, runtimeName, hostIP} = this.opts
    const now = rfc3339(clock.now())
    await registry.update(
      NODES,
      undefined,
      nodeName,
      (live) => {
        const node = live as KubeObject & Mutable<Node>
        const capacity = this.opts.capacity(node)
        const old = node.status?.conditions ?? []
        const cond = (type: string, status: string, reason: string, message: string): NodeCondition => {
          const prev = old.find((c) => c.type === type)
          return {type, status, lastHeartbeatTime: now, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now, reason, message}
        }
        node.status = {
          ...node.status,
          capacity,
          allocatable: capacity,
          conditions: [
            cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
            cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
            cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
            cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
          ],
          addresses: [{type: 'InternalIP', address: hostIP}, {type: 'Hostname', address: nodeName}],
          daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
          nodeInfo: {
            machineID: '',
            systemUUID: '',
            bootID: '',
            kernelVersion: release(),
            osImage: runtimeName === 'sim' ? 'kcluster simulated node' : 'kcluster node',
            containerRuntimeVersion: `${runtimeName}://0.1.0`,
            kubeletVersion: KUBELET_VERSION,
            kubeProxyVersion: '',
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
        }
        return node
      },
      {manager: MANAGER, subresource: 'status'},
    )
  }

  private async renewLease(): Promise<void> {
    const {registry, nodeName, clock} = this.opts
    const now = clock.now().toISOString().replace('Z', '000Z')
    const spec = {holderIdentity: nodeName, leaseDurationSeconds: this.opts.leaseDurationSeconds ?? 40, renewTime: now}
    const existing = await registry.tryGet(LEASES, 'kube-node-lease', nodeName)
    if (!existing) {
      await registry.create(
        LEASES,
        'kube-node-lease',
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {name: nodeName, namespace: 'kube-node-lease', ownerReferences: []},
          spec,
        },
        {manager: MANAGER},
      )
      return
    }
    await registry.update(LEASES, 'kube-node-lease', nodeName, (live) => ({...live!, spec: {...(live!.spec as object), ...spec}}), {manager: MANAGER})
  }
}
