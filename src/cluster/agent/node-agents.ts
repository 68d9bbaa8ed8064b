// The kubelets this control plane simulates, one per Node it manages: the cluster's first node plus
// every Node carrying the simulated-node annotation (`--nodes`, `kcluster node add`). It follows the
// Nodes in the store, so intent written by the CLI (a failed heartbeat, a removed node) takes effect
// here and survives restarts. Each running node heartbeats on its own; pod sync asks stateOf() whether
// a pod's node has a live kubelet.
import type {Node} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {watchObjects} from '../apiserver/registry/watch.js'
import type {Clock} from '../clock.js'
import {logger} from '../log.js'
import type {Store} from '../store/store.js'
import {NodeRegistration} from './node-registration.js'
import {capacityOf, heartbeatStopped, SIMULATED_NODE_ANNOTATION} from './node-spec.js'

const NODES = resourceOfKind('Node')
const RELIST_DELAY_MS = 200

/** `running`: the node's kubelet heartbeats and syncs pods; `stopped`: it is down (`kcluster node fail`). */
export type NodeAgentState = 'running' | 'stopped'

export interface NodeStates {
  stateOf(nodeName: string): NodeAgentState | undefined
}

export interface NodeAgentsOptions {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  hostIP: string
  runtimeName: string
  /** The cluster's first node: always managed, registered by start(), labelled control-plane. */
  primaryNode: string
  /** Capacity of a node that was not given its own. */
  defaultCapacity: Record<string, string>
  leaseRenewMs?: number
  /** The first node's spec.podCIDR (the runtime's pod IP range). */
  podCIDR?: string
  /** A node's kubelet came up or went down: its pods need a sync. */
  onNodeChange?(nodeName: string, state: NodeAgentState | undefined): void
}

interface Agent {
  state: NodeAgentState
  registration?: NodeRegistration
  /** Transitions of one node run one after another. */
  transition: Promise<void>
}

export class NodeAgents implements NodeStates {
  private readonly agents = new Map<string, Agent>()
  private readonly abort = new AbortController()
  private loop?: Promise<void>
  private readonly log = logger('agent')

  constructor(private readonly opts: NodeAgentsOptions) {}

  /** Registers the first node, brings up every managed node in the store, then follows changes. */
  async start(): Promise<void> {
    // The first node is registered here (it may not exist yet) and counts as running from the start,
    // so the listing below does not register it a second time.
    const primary = this.registration(this.opts.primaryNode)
    await primary.register()
    primary.start()
    this.agents.set(this.opts.primaryNode, {state: 'running', registration: primary, transition: Promise.resolve()})
    const {items, resourceVersion} = await this.opts.registry.list(NODES)
    this.replace(items as unknown as Node[])
    await this.settled()
    this.loop = this.follow(resourceVersion)
  }

  stateOf(nodeName: string): NodeAgentState | undefined {
    return this.agents.get(nodeName)?.state
  }

  /** Nodes with a kubelet, running or stopped. */
  names(): string[] {
    return [...this.agents.keys()]
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('node agents stopping'))
    await this.loop?.catch(() => undefined)
    await this.settled()
    await Promise.all([...this.agents.values()].map((a) => a.registration?.stop()))
  }

  private async settled(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.transition))
  }

  private async follow(fromVersion: string): Promise<void> {
    let resourceVersion = fromVersion
    const signal = this.abort.signal
    while (!signal.aborted) {
      try {
        if (!resourceVersion) {
          const listed = await this.opts.registry.list(NODES)
          this.replace(listed.items as unknown as Node[])
          resourceVersion = listed.resourceVersion
        }
        const watch = await watchObjects(this.opts.store, NODES, {resourceVersion})
        const onAbort = () => watch.close()
        signal.addEventListener('abort', onAbort, {once: true})
        try {
          for await (const event of watch.events) {
            const node = event.object as unknown as Node
            this.apply(node.metadata!.name!, event.type === 'DELETED' ? undefined : node)
          }
        } finally {
          signal.removeEventListener('abort', onAbort)
          watch.close()
        }
      } catch (error) {
        if (signal.aborted) return
        this.log.warn({err: error}, 'node watch failed; relisting')
      }
      resourceVersion = ''
      await new Promise((resolve) => setTimeout(resolve, RELIST_DELAY_MS).unref())
    }
  }

  private replace(nodes: Node[]): void {
    const seen = new Set(nodes.map((n) => n.metadata!.name!))
    for (const node of nodes) this.apply(node.metadata!.name!, node)
    for (const name of this.agents.keys()) if (!seen.has(name)) this.apply(name, undefined)
  }

  /** Level-based: bring the node's kubelet to what its Node object says. */
  private apply(name: string, node: Node | undefined): void {
    const managed = node && (name === this.opts.primaryNode || node.metadata?.annotations?.[SIMULATED_NODE_ANNOTATION] === 'true')
    const desired: NodeAgentState | undefined = managed ? (heartbeatStopped(node) ? 'stopped' : 'running') : undefined
    const agent = this.agents.get(name)
    if (agent?.state === desired) return
    if (desired === undefined) {
      if (!agent) return
      this.agents.delete(name)
      agent.transition = agent.transition.then(() => agent.registration?.stop())
      this.log.info({node: name}, 'node removed; its kubelet stops')
      this.opts.onNodeChange?.(name, undefined)
      return
    }
    const next: Agent = agent ?? {state: desired, transition: Promise.resolve()}
    next.state = desired
    this.agents.set(name, next)
    next.transition = next.transition
      .then(async () => {
        await next.registration?.stop()
        next.registration = undefined
        if (next.state !== 'running' || this.abort.signal.aborted) return
        const registration = this.registration(name)
        await registration.register()
        registration.start()
        next.registration = registration
      })
      .catch((error) => this.log.warn({err: error, node: name}, 'node kubelet transition failed'))
    this.log.info({node: name, state: desired}, desired === 'running' ? 'node kubelet running' : 'node kubelet stopped (heartbeat off)')
    this.opts.onNodeChange?.(name, desired)
  }

  private registration(name: string): NodeRegistration {
    const {registry, clock, hostIP, runtimeName, leaseRenewMs, defaultCapacity} = this.opts
    return new NodeRegistration({
      nodeName: name,
      hostIP,
      runtimeName,
      registry,
      clock,
      leaseRenewMs,
      controlPlane: name === this.opts.primaryNode,
      podCIDR: this.opts.podCIDR,
      capacity: (node) => capacityOf(node, defaultCapacity),
    })
  }
}
