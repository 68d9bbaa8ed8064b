// Registers this agent's Node with capacity read from the host and keeps it alive: the Lease in
// kube-node-lease is renewed every 10 s and the Ready condition's heartbeat refreshed every minute.
import {cpus, release, totalmem} from 'node:os'
import {statfsSync} from 'node:fs'
import type {Node, NodeCondition} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject, Mutable} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {rfc3339, type Clock} from '../clock.js'
import {logger} from '../log.js'

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
  stateDir: string
  leaseDurationSeconds?: number
  /** Pods the node admits (the kubelet's maxPods, 110 by default). */
  maxPods?: number
  leaseRenewMs?: number
  statusRefreshMs?: number
}

export function nodeCapacity(stateDir: string, maxPods = 110): Record<string, string> {
  let storageKi = 100 * 1024 * 1024
  try {
    const fs = statfsSync(stateDir)
    storageKi = Math.floor((fs.blocks * fs.bsize) / 1024)
  } catch {
    // keep the default when the state dir's filesystem cannot be read
  }
  return {cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: String(maxPods), 'ephemeral-storage': `${storageKi}Ki`}
}

export class NodeRegistration {
  private readonly abort = new AbortController()
  private loop?: Promise<void>
  private readonly log = logger('agent')

  constructor(private readonly opts: NodeRegistrationOptions) {}

  async register(): Promise<void> {
    const {registry, nodeName} = this.opts
    const existing = await registry.tryGet(NODES, undefined, nodeName)
    if (!existing) await registry.create(NODES, undefined, this.desiredNode() as unknown as KubeObject, {manager: MANAGER})
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

  private desiredNode(): Node {
    const {nodeName, hostIP} = this.opts
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: nodeName,
        labels: {
          'kubernetes.io/hostname': nodeName,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'beta.kubernetes.io/arch': 'amd64',
          'node-role.kubernetes.io/control-plane': '',
        },
        annotations: {'node.alpha.kubernetes.io/ttl': '0'},
      },
      spec: {podCIDR: '10.244.0.0/16', podCIDRs: ['10.244.0.0/16']},
      status: {addresses: [{type: 'InternalIP', address: hostIP}, {type: 'Hostname', address: nodeName}]},
    }
  }

  private async refreshStatus(): Promise<void> {
    const {registry, nodeName, clock, runtimeName, stateDir, hostIP} = this.opts
    const now = rfc3339(clock.now())
    const capacity = nodeCapacity(stateDir, this.opts.maxPods)
    await registry.update(
      NODES,
      undefined,
      nodeName,
      (live) => {
        const node = live as KubeObject & Mutable<Node>
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
            osImage: 'kcluster simulated node',
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
