// The node lifecycle controller (pkg/controller/nodelifecycle, without zones and rate limiting): a node
// whose Lease and Ready heartbeat are both older than the grace period gets its kubelet conditions set
// to Unknown, the condition taints follow the conditions (unreachable/not-ready NoSchedule+NoExecute,
// pressure, unschedulable), and the pods of a node that is not Ready are marked not ready so Services
// stop sending them traffic. Each node is checked again when it would expire, not on a fixed scan.
import type {Lease} from 'kubernetes-types/coordination/v1.js'
import type {Node, Pod} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import type {WatchEventType} from '../../apiserver/registry/watch.js'
import type {Clock} from '../../clock.js'
import {EventRecorder} from '../../events/recorder.js'
import type {Store} from '../../store/store.js'
import {Controller, type ControllerOptions} from '../controller.js'
import type {ObjectKey, ReconcileResult, Reconciler} from '../reconciler.js'
import {DEFAULT_GRACE_PERIOD_MS, DEFAULT_STARTUP_GRACE_PERIOD_MS, isExpired, nodeHealth, readyStatus, unknownConditions, type HealthTiming} from './node-health.js'
import {NodePodIndex} from './node-pod-index.js'
import {planNodeTaints} from './node-taints.js'
import {notReadyConditions} from './pod-conditions.js'

const NODES = resourceOfKind('Node')
const LEASES = resourceOfKind('Lease')
const PODS = resourceOfKind('Pod')
export const NODE_LEASE_NAMESPACE = 'kube-node-lease'
export const NODE_CONTROLLER_MANAGER = 'node-controller'
/** Keys of this kind are pods to mark not ready; keys without a kind are nodes. */
const POD_KEY_KIND = 'Pod'

export interface NodeLifecycleOptions extends Partial<HealthTiming> {
  registry: ObjectRegistry
  clock: Clock
  recorder: Pick<EventRecorder, 'event'>
  /** Longest a healthy node goes unchecked (upstream --node-monitor-period). */
  monitorPeriodMs?: number
  /** Wakes the pod keys of a node that is not ready (the controller's enqueue). */
  enqueue: (key: ObjectKey) => void
  podsOn: (nodeName: string) => ObjectKey[]
}

export class NodeLifecycleReconciler implements Reconciler {
  readonly name = 'node-lifecycle-controller'
  private readonly timing: HealthTiming

  constructor(private readonly opts: NodeLifecycleOptions) {
    this.timing = {gracePeriodMs: opts.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS, startupGracePeriodMs: opts.startupGracePeriodMs ?? DEFAULT_STARTUP_GRACE_PERIOD_MS}
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult | void> {
    if (key.kind === POD_KEY_KIND) return this.reconcilePod(key)
    const {registry, clock} = this.opts
    const node = (await registry.tryGet(NODES, undefined, key.name)) as Node | undefined
    if (!node) return
    const lease = (await registry.tryGet(LEASES, NODE_LEASE_NAMESPACE, key.name)) as Lease | undefined
    const now = clock.now()
    const health = nodeHealth(node, lease, this.timing)
    let current = node
    if (isExpired(health, now)) current = await this.markUnknown(node, lease, now)
    current = await this.syncTaints(current, now)
    const ready = readyStatus(current)
    if (ready !== undefined && ready !== 'True') for (const podKey of this.opts.podsOn(key.name)) this.opts.enqueue({...podKey, kind: POD_KEY_KIND})
    if (isExpired(health, now)) return
    // +1: expiry is strictly after the grace period.
    return {requeueAfterMs: Math.min(health.expiresAtMs - now.getTime() + 1, this.opts.monitorPeriodMs ?? Number.POSITIVE_INFINITY)}
  }

  // Status write: every kubelet condition Unknown. Re-checked on the live node, so a heartbeat that
  // landed since the read wins.
  private async markUnknown(node: Node, lease: Lease | undefined, now: Date): Promise<Node> {
    const wasReady = readyStatus(node) === 'True'
    let wrote = false
    const {object} = await this.opts.registry.update(
      NODES,
      undefined,
      node.metadata!.name!,
      (live) => {
        const liveNode = live as Node & KubeObject
        wrote = false
        if (!isExpired(nodeHealth(liveNode, lease, this.timing), now)) return liveNode
        const conditions = unknownConditions(liveNode, now)
        if (!conditions) return liveNode
        wrote = true
        return {...liveNode, status: {...liveNode.status, conditions}}
      },
      {manager: NODE_CONTROLLER_MANAGER, subresource: 'status'},
    )
    const updated = object as Node
    // RecordNodeStatusChange: once, when this controller takes the node out of Ready.
    if (wrote && wasReady && readyStatus(updated) !== 'True') {
      const name = node.metadata!.name!
      // The node controller and the kubelet name a node by UID=name; `kubectl describe node` looks events up that way.
      this.opts.recorder.event({apiVersion: 'v1', kind: 'Node', metadata: {name, uid: name}}, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`)
    }
    return updated
  }

  private async syncTaints(node: Node, now: Date): Promise<Node> {
    if (!planNodeTaints(node, now)) return node
    const {object} = await this.opts.registry.update(
      NODES,
      undefined,
      node.metadata!.name!,
      (live) => {
        const liveNode = live as Node & KubeObject
        const taints = planNodeTaints(liveNode, now)
        if (!taints) return liveNode
        const {taints: _old, ...rest} = liveNode.spec ?? {}
        return {...liveNode, spec: taints.length > 0 ? {...rest, taints} : rest}
      },
      {manager: NODE_CONTROLLER_MANAGER},
    )
    return object as Node
  }

  private async reconcilePod(key: ObjectKey): Promise<void> {
    const {registry, clock} = this.opts
    const pod = (await registry.tryGet(PODS, key.namespace, key.name)) as (Pod & KubeObject) | undefined
    const nodeName = pod?.spec?.nodeName
    if (!pod || !nodeName) return
    const node = (await registry.tryGet(NODES, undefined, nodeName)) as Node | undefined
    const ready = node ? readyStatus(node) : undefined
    if (ready === undefined || ready === 'True') return
    if (!notReadyConditions(pod, clock.now())) return
    let wrote = false
    try {
      await registry.update(
        PODS,
        key.namespace,
        key.name,
        (live) => {
          const livePod = live as Pod & KubeObject
          const conditions = notReadyConditions(livePod, clock.now())
          wrote = conditions !== undefined && livePod.metadata.uid === pod.metadata.uid
          return wrote ? {...livePod, status: {...livePod.status, conditions}} : livePod
        },
        {manager: NODE_CONTROLLER_MANAGER, subresource: 'status'},
      )
    } catch (error) {
      if ((error as {code?: number}).code === 404) return
      throw error
    }
    if (wrote) this.opts.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready')
  }
}

export interface NodeLifecycleControllerDeps {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  /** A node is unreachable once its last heartbeat is older than this (--node-monitor-grace-period). */
  gracePeriodMs?: number
  /** The same for a node that never posted Ready, counted from its creation (--node-startup-grace-period). */
  startupGracePeriodMs?: number
  /** Longest a healthy node goes without a check (--node-monitor-period, 5 s). */
  monitorPeriodMs?: number
  recorder?: Pick<EventRecorder, 'event'>
  /** Shared informers to take events from instead of a watch per source. */
  informers?: ControllerOptions['informers']
}

/** Watches Nodes, their Leases in kube-node-lease, and the pods of nodes that are not ready. */
export function createNodeLifecycleController(deps: NodeLifecycleControllerDeps): Controller {
  const index = new NodePodIndex()
  // Nodes last seen with Ready False/Unknown: only their pods' events concern this controller.
  const notReady = new Set<string>()
  const recorder = deps.recorder ?? new EventRecorder({registry: deps.registry, clock: deps.clock, component: NODE_CONTROLLER_MANAGER})
  let controller: Controller | undefined
  const reconciler = new NodeLifecycleReconciler({
    registry: deps.registry,
    clock: deps.clock,
    recorder,
    gracePeriodMs: deps.gracePeriodMs,
    startupGracePeriodMs: deps.startupGracePeriodMs,
    monitorPeriodMs: deps.monitorPeriodMs ?? 5_000,
    enqueue: (key) => controller?.enqueue(key),
    podsOn: (nodeName) => index.podsOn(nodeName),
  })
  const nodeKeys = (obj: KubeObject, _r: unknown, event: WatchEventType): ObjectKey[] => {
    const name = obj.metadata.name!
    const ready = readyStatus(obj as Node)
    if (event !== 'DELETED' && ready !== undefined && ready !== 'True') notReady.add(name)
    else notReady.delete(name)
    return [{name}]
  }
  const podKeys = (obj: KubeObject, _r: unknown, event: WatchEventType): ObjectKey[] => {
    const nodeName = index.observe(obj, event)
    if (!nodeName || !notReady.has(nodeName)) return []
    // Only a pod that still claims Ready has anything to change.
    if (!notReadyConditions(obj as Pod, deps.clock.now())) return []
    return [{kind: POD_KEY_KIND, namespace: obj.metadata.namespace, name: obj.metadata.name!}]
  }
  const leaseKeys = (obj: KubeObject): ObjectKey[] => (obj.metadata.namespace === NODE_LEASE_NAMESPACE ? [{name: obj.metadata.name!}] : [])
  controller = new Controller({
    store: deps.store,
    reconciler,
    sources: [
      {resource: NODES, keysFor: nodeKeys},
      {resource: LEASES, keysFor: leaseKeys},
      {resource: PODS, keysFor: podKeys},
    ],
    workers: 2,
    informers: deps.informers,
  })
  return controller
}
