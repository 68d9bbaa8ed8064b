// The kubelet's pod worker as a level-based reconciler, for every node this control plane runs a
// kubelet for: make the runtime hold exactly the containers of the pods bound to those nodes, report
// what it holds as pod status, and finish graceful deletions. A pod on a node whose kubelet is stopped
// (`kcluster node fail`) is left exactly as it is, as a dead kubelet would.
// Container starts run in the background (a start can take seconds: image pulls, slow processes), so
// a handful of workers can bring thousands of pods up in parallel; a finished start wakes the pod.
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import type {ObjectKey, ReconcileResult, Reconciler} from '../controllers/reconciler.js'
import {logger} from '../log.js'
import type {ContainerRuntime, RuntimeContainer} from '../runtime/runtime.js'
import {CrashBackoff, goDuration, shouldRestart} from './crash-backoff.js'
import {KubeletEvents} from './kubelet-events.js'
import type {NodeStates} from './node-agents.js'
import {planPodStatus} from './pod-status.js'
import {jsonEqual} from '../apiserver/registry/codec.js'

const PODS = resourceOfKind('Pod')

interface SyncOutcome {
  containers: RuntimeContainer[]
  /** Containers waiting out their crash back-off, by name. */
  waiting: ReadonlyMap<string, {reason: string; message: string}>
  /** When the earliest back-off ends. */
  requeueAfterMs?: number
}
const MANAGER = 'kubelet'

export interface PodSyncOptions {
  /** Which nodes have a kubelet here, and whether it runs. */
  nodes: NodeStates
  hostIP: string
  registry: ObjectRegistry
  runtime: ContainerRuntime
  clock: Clock
  /**
   * Where pods are read: an informer's cache (shared, read-only; may lag the store a little, which
   * is fine for a level-based sync: the event that brings it up to date reconciles again). Default:
   * the store, through the registry.
   */
  pods?: {get(namespace: string | undefined, name: string): KubeObject | undefined}
  /** Re-queues a pod (the controller's enqueue), called when one of its container starts ends. */
  wake?: (key: ObjectKey) => void
}

export class PodSyncReconciler implements Reconciler {
  readonly name = 'pod-sync'
  private readonly log = logger('agent')
  /** Starts under way, by `podUid/containerName`. */
  private readonly starting = new Set<string>()
  private readonly events: KubeletEvents
  private readonly backoff = new CrashBackoff()

  constructor(private readonly opts: PodSyncOptions) {
    this.events = new KubeletEvents({registry: opts.registry, clock: opts.clock})
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult | void> {
    const {registry, runtime, nodes} = this.opts
    const pod = (this.opts.pods ? this.opts.pods.get(key.namespace, key.name) : await registry.tryGet(PODS, key.namespace, key.name)) as (KubeObject & Pod) | undefined
    const nodeName = pod?.spec?.nodeName
    const node = nodeName ? nodes.stateOf(nodeName) : undefined
    if (node === 'stopped') return
    const held = await runtime.list({namespace: key.namespace, podName: key.name})
    // Containers of another pod that had this name, or of a pod no longer here, are orphans.
    const mine = pod && node === 'running' ? held.filter((c) => c.spec.podUid === pod.metadata.uid) : []
    await this.removeAll(held.filter((c) => !mine.includes(c)), 0)
    if (!pod || node !== 'running') return

    if (pod.metadata.deletionTimestamp) return this.finishDeletion(pod, mine)

    const {containers, waiting, requeueAfterMs} = await this.startMissing(pod, mine)
    await this.writeStatus(pod, containers, waiting)
    if (requeueAfterMs !== undefined) return {requeueAfterMs}
  }

  /**
   * Starts, in the background, every container the pod lacks, and restarts exited ones as its
   * restartPolicy says, after the crash back-off. A container left `created` by a start that nobody
   * is running any more (the control plane stopped mid-start) is replaced.
   */
  private async startMissing(pod: KubeObject & Pod, held: RuntimeContainer[]): Promise<SyncOutcome> {
    const {runtime, clock} = this.opts
    const uid = pod.metadata.uid!
    const stale = held.filter((h) => h.state.state === 'created' && !this.starting.has(`${uid}/${h.spec.containerName}`))
    await this.removeAll(stale, 0)
    const current = held.filter((h) => !stale.includes(h))
    const waiting = new Map<string, {reason: string; message: string}>()
    let requeueAfterMs: number | undefined
    for (const c of pod.spec?.containers ?? []) {
      const id = `${uid}/${c.name}`
      if (this.starting.has(id)) continue
      const instances = current.filter((h) => h.spec.containerName === c.name).sort((x, y) => y.spec.restartCount - x.spec.restartCount)
      const newest = instances[0]
      let restartCount = 0
      if (newest) {
        if (newest.state.state !== 'exited' || !shouldRestart(pod.spec?.restartPolicy, newest.state.exitCode)) continue
        const finished = newest.state.finishedAt.getTime()
        const now = clock.now().getTime()
        if (this.backoff.inBackOffSince(id, finished, now)) {
          const window = this.backoff.windowMs(id)
          const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${uid})`
          waiting.set(c.name, {reason: 'CrashLoopBackOff', message: `back-off ${goDuration(window)} restarting failed container=${c.name} pod=${podRef}`})
          this.events.backOff(pod, pod.spec!.nodeName!, c.name, `Back-off restarting failed container ${c.name} in pod ${podRef}`)
          requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(10, finished + window - now))
          continue
        }
        this.backoff.next(id, finished, now)
        restartCount = newest.spec.restartCount + 1
        // The kubelet keeps the last exited instance (`kubectl logs --previous`) and no older one.
        await this.removeAll(instances.slice(1), 0)
      }
      this.startInBackground(pod, c, restartCount)
    }
    // What the runtime holds now, including containers whose start just began (state `created`).
    return {containers: await runtime.list({podUid: uid}), waiting, requeueAfterMs}
  }

  private startInBackground(pod: KubeObject & Pod, c: Container, restartCount: number): void {
    const {runtime} = this.opts
    const uid = pod.metadata.uid!
    const id = `${uid}/${c.name}`
    this.starting.add(id)
    const key = {namespace: pod.metadata.namespace, name: pod.metadata.name!}
    const node = pod.spec!.nodeName!
    const image = c.image ?? ''
    const policy = (c.imagePullPolicy as 'Always' | 'IfNotPresent' | 'Never') ?? 'IfNotPresent'
    void (async () => {
      const pullStart = Date.now()
      const pulled = await runtime.ensureImage(image, policy)
      if (pulled.pulled) this.events.pulling(pod, node, c.name, image)
      this.events.pulled(pod, node, c.name, image, pulled, Date.now() - pullStart)
      this.events.created(pod, node, c.name)
      const started = await runtime.start({
        namespace: pod.metadata.namespace!,
        podName: pod.metadata.name!,
        podUid: uid,
        containerName: c.name,
        image,
        command: c.command,
        args: c.args,
        restartCount,
      })
      if (started.state.state !== 'created') this.events.started(pod, node, c.name)
    })()
      .catch((error) => this.log.warn({err: error, pod: `${key.namespace}/${key.name}`, container: c.name}, 'container start failed'))
      .finally(() => {
        this.starting.delete(id)
        this.opts.wake?.(key)
      })
  }

  private async writeStatus(pod: KubeObject & Pod, containers: RuntimeContainer[], waiting: SyncOutcome['waiting']): Promise<void> {
    const {registry, runtime, clock, hostIP} = this.opts
    // Most reconciles follow our own status writes: skip the API round when nothing would change.
    const planned = planPodStatus({pod, containers, hostIP, runtimeName: runtime.name, now: clock.now(), waiting})
    if (jsonEqual(planned, pod.status)) return
    await registry.update(
      PODS,
      pod.metadata.namespace,
      pod.metadata.name!,
      (live) => {
        const current = live as KubeObject & Pod
        if (current.metadata.uid !== pod.metadata.uid) return current
        const status = planPodStatus({pod: current, containers, hostIP, runtimeName: runtime.name, now: clock.now(), waiting})
        return {...current, status} as KubeObject
      },
      {manager: MANAGER, subresource: 'status'},
    )
  }

  private async finishDeletion(pod: KubeObject & Pod, held: RuntimeContainer[]): Promise<ReconcileResult | void> {
    const {registry, clock} = this.opts
    this.backoff.forget(`${pod.metadata.uid}/`)
    const deadline = new Date(pod.metadata.deletionTimestamp!).getTime()
    const graceLeft = Math.max(0, Math.ceil((deadline - clock.now().getTime()) / 1000))
    for (const c of held) if (c.state.state === 'running') this.events.killing(pod, pod.spec!.nodeName!, c.spec.containerName)
    await this.removeAll(held, graceLeft)
    try {
      await registry.delete(PODS, pod.metadata.namespace, pod.metadata.name!, {gracePeriodSeconds: 0, preconditions: {uid: pod.metadata.uid}})
    } catch (error) {
      if ((error as {code?: number}).code !== 404 && (error as {code?: number}).code !== 409) throw error
    }
    this.log.info({pod: `${pod.metadata.namespace}/${pod.metadata.name}`}, 'pod terminated')
  }

  private async removeAll(containers: RuntimeContainer[], graceSeconds: number): Promise<void> {
    const {runtime} = this.opts
    await Promise.all(
      containers.map(async (c) => {
        await runtime.stop(c.id, graceSeconds)
        await runtime.remove(c.id)
      }),
    )
  }
}
