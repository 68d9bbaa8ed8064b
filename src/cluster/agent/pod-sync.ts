// The kubelet's pod worker as a level-based reconciler, for every node this control plane runs a
// kubelet for: make the runtime hold exactly the containers of the pods bound to those nodes, report
// what it holds as pod status, and finish graceful deletions. A pod on a node whose kubelet is stopped
// (`kcluster node fail`) is left exactly as it is, as a dead kubelet would.
// Container starts run in the background (a start can take seconds: image pulls, slow processes), so
// a handful of workers can bring thousands of pods up in parallel; a finished start wakes the pod.
import type {Container, LifecycleHandler, Pod} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import type {ObjectKey, ReconcileResult, Reconciler} from '../controllers/reconciler.js'
import {logger} from '../log.js'
import {instancesOf, type ContainerRuntime, type ContainerSpec, type RuntimeContainer} from '../runtime/runtime.js'
import {containerConfig, ContainerConfigError, refreshVolumes, removePodVolumes, type ContainerConfigDeps} from './container-config/container-config.js'
import {terminationLogMount, TerminationMessages} from './container-config/termination-message.js'
import {StartFailures} from './start-failures.js'
import {KILLING_REASON, probeKillMessage, ProbeManager, UNHEALTHY_REASON, type ProbeManagerOptions, type ProbeTarget} from './probes/index.js'
import {CrashBackoff, goDuration, shouldRestart} from './crash-backoff.js'
import {KubeletEvents} from './kubelet-events.js'
import {runHook} from './lifecycle-hooks.js'
import type {NodeStates} from './node-agents.js'
import {planPodStatus} from './pod-status.js'
import {jsonEqual} from '../apiserver/registry/codec.js'

const PODS = resourceOfKind('Pod')

interface SyncOutcome {
  containers: RuntimeContainer[]
  /** Containers waiting out their crash back-off or a failed configuration, by name. */
  waiting: ReadonlyMap<string, {reason: string; message?: string}>
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
  /** Runs probe commands in containers; with it, liveness/readiness/startup probes run (Docker). */
  probeExec?: ProbeManagerOptions['exec']
  /** Env, volumes, limits and user from the pod spec (Docker); without it a container gets image, command and args. */
  containerConfig?: ContainerConfigDeps
}

/** The kubelet's periodic resync, which also refreshes configMap/secret/downwardAPI volume files. */
const VOLUME_RESYNC_MS = 60_000
export class PodSyncReconciler implements Reconciler {
  readonly name = 'pod-sync'
  private readonly log = logger('agent')
  /** Starts under way, by `podUid/containerName`. */
  private readonly starting = new Set<string>()
  /** The same starts, to wait for when stopping. */
  private readonly inFlight = new Set<Promise<void>>()
  private stopping = false
  private readonly events: KubeletEvents
  private readonly backoff = new CrashBackoff()
  private readonly probes?: ProbeManager
  /** Pods by uid, for probe results that change (the manager only knows uids). */
  private readonly podsByUid = new Map<string, {key: ObjectKey; pod: Pod}>()
  /** `namespace/name` → the uid of the pod last synced under that key (found in O(1): a reconcile must not scan every pod). */
  private readonly uidByKey = new Map<string, string>()
  /** Containers that could not be started (configuration, image, create): what to show meanwhile and when to try again. */
  private readonly startFailures: StartFailures
  private readonly terminationMessages?: TerminationMessages
  /** Container instances being killed after a failed liveness/startup probe. */
  private readonly killing = new Set<string>()

  constructor(private readonly opts: PodSyncOptions) {
    this.events = new KubeletEvents({registry: opts.registry, clock: opts.clock})
    this.startFailures = new StartFailures({clock: opts.clock, events: this.events})
    // Simulated pods write no files: only pods with a container configuration (Docker) leave messages.
    if (opts.containerConfig) this.terminationMessages = new TerminationMessages({podsDir: opts.containerConfig.podsDir, runtime: opts.runtime})
    if (opts.probeExec) {
      this.probes = new ProbeManager({
        clock: opts.clock,
        exec: opts.probeExec,
        onChange: (uid) => {
          const known = this.podsByUid.get(uid)
          if (known) opts.wake?.(known.key)
        },
        events: {
          unhealthy: (target, _kind, message) => {
            const known = this.podsByUid.get(target.podUid)
            if (known) this.events.warning(known.pod, known.pod.spec!.nodeName!, target.container.name, UNHEALTHY_REASON, message)
          },
        },
      })
    }
  }

  /**
   * Stops the probe workers and starts nothing more, then waits (at most `drainMs`) for the starts
   * under way: the runtime's shutdown comes next, and a start finishing after it would leave an app
   * container running in a sandbox that was just stopped (no pod IP until the next sync kills it).
   */
  async stop(drainMs = 10_000): Promise<void> {
    this.stopping = true
    this.probes?.stop()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline])
    clearTimeout(timer)
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
    const orphans = held.filter((c) => !mine.includes(c))
    await this.removeAll(orphans, 0)
    const gone = new Set(orphans.map((c) => c.spec.podUid))
    // A pod deleted at once (grace 0) before its first container may have left only its sandbox.
    const kept = pod && node === 'running' ? pod.metadata.uid : undefined
    const known = this.uidByKey.get(keyString(key))
    if (known && known !== kept) gone.add(known)
    // Sandboxes left by a pod deleted while the agent was away (a kill -9 between a sandbox and its first
    // container): asked of the runtime only for keys this agent has not seen yet, so at most once per pod.
    if (!kept || !this.podsByUid.has(kept)) {
      for (const p of (await runtime.preparedPods?.({namespace: key.namespace, podName: key.name})) ?? []) if (p.podUid !== kept) gone.add(p.podUid)
    }
    for (const uid of gone) await this.forgetPod(uid)
    if (!pod || node !== 'running') return

    if (pod.metadata.deletionTimestamp) return this.finishDeletion(pod, mine)

    this.podsByUid.set(pod.metadata.uid!, {key, pod: podReference(pod)})
    this.uidByKey.set(keyString(key), pod.metadata.uid!)
    if (await this.replaceLostSandbox(pod, mine)) return {requeueAfterMs: 0}
    const {containers, waiting, requeueAfterMs} = await this.startMissing(pod, mine)
    const probe = this.syncProbes(pod, containers)
    const phase = await this.writeStatus(pod, (await this.terminationMessages?.withMessages(pod, containers)) ?? containers, waiting, probe)
    if ((phase === 'Succeeded' || phase === 'Failed') && runtime.stopPod) await runtime.stopPod(pod.metadata.uid!)
    let next = requeueAfterMs
    if (this.opts.containerConfig && hasRefreshableVolumes(pod)) {
      await refreshVolumes(this.opts.containerConfig, pod).catch((error) => this.log.warn({err: error, pod: `${key.namespace}/${key.name}`}, 'volume refresh failed'))
      next = Math.min(next ?? Infinity, VOLUME_RESYNC_MS)
    }
    if (next !== undefined) return {requeueAfterMs: next}
  }

  /**
   * Containers still running in a sandbox that is not (stopped behind the agent's back, or by a
   * shutdown racing a start) have lost their network: as the kubelet does on SandboxChanged, they are
   * stopped, and the restart policy starts them again in the sandbox started anew. True if any was.
   */
  private async replaceLostSandbox(pod: KubeObject & Pod, held: RuntimeContainer[]): Promise<boolean> {
    if (!this.opts.runtime.preparePod) return false
    const cut = held.filter((c) => c.state.state === 'running' && !c.podIP)
    if (cut.length === 0) return false
    this.events.pod(pod, pod.spec!.nodeName!, 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.')
    await Promise.all(cut.map((c) => this.opts.runtime.stop(c.id, 0)))
    // Not a crash of theirs: they start again at once in the new sandbox, not after a crash back-off.
    this.backoff.forget(`${pod.metadata.uid}/`)
    return true
  }

  /**
   * Hands the pod's running containers to the probe manager, kills those whose liveness or startup
   * probe failed (the restart policy and back-off bring them back), and answers readiness for status.
   */
  private syncProbes(pod: KubeObject & Pod, containers: RuntimeContainer[]): ((containerId: string) => {ready: boolean; started: boolean}) | undefined {
    const probes = this.probes
    if (!probes) return undefined
    const uid = pod.metadata.uid!
    const podIP = containers.find((c) => c.podIP)?.podIP
    const targets: ProbeTarget[] = []
    for (const spec of pod.spec?.containers ?? []) {
      const newest = instancesOf(containers, spec.name)[0]
      if (newest?.state.state !== 'running') continue
      targets.push({podUid: uid, namespace: pod.metadata.namespace!, podName: pod.metadata.name!, podIP, container: spec, containerId: newest.id, startedAt: newest.state.startedAt})
    }
    probes.sync(uid, targets)
    for (const target of targets) {
      const failed = probes.failedProbe(uid, target.containerId)
      if (!failed || this.killing.has(target.containerId)) continue
      this.killing.add(target.containerId)
      this.events.normal(pod, pod.spec!.nodeName!, target.container.name, KILLING_REASON, probeKillMessage(target.container.name, failed, pod.spec?.restartPolicy !== 'Never'))
      const grace = pod.spec?.terminationGracePeriodSeconds ?? 30
      void this.opts.runtime
        .stop(target.containerId, grace)
        .catch((error) => this.log.warn({err: error, container: target.containerId}, 'could not stop a container that failed its probe'))
        .finally(() => {
          this.killing.delete(target.containerId)
          this.opts.wake?.({namespace: pod.metadata.namespace, name: pod.metadata.name!})
        })
    }
    return (id) => ({ready: probes.ready(uid, id), started: probes.started(uid, id)})
  }

  private async forgetPod(uid: string): Promise<void> {
    const known = this.podsByUid.get(uid)
    if (known && this.uidByKey.get(keyString(known.key)) === uid) this.uidByKey.delete(keyString(known.key))
    this.podsByUid.delete(uid)
    this.probes?.forgetPod(uid)
    this.backoff.forget(`${uid}/`)
    this.startFailures.forgetPod(uid)
    this.terminationMessages?.forgetPod(uid)
    if (this.opts.containerConfig) await removePodVolumes(this.opts.containerConfig, uid).catch(() => undefined)
    await this.opts.runtime.removePod?.(uid).catch((error) => this.log.warn({err: error, podUid: uid}, 'pod sandbox removal failed'))
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
    const waiting = new Map<string, {reason: string; message?: string}>()
    const next = {requeueAfterMs: undefined as number | undefined}
    // Init containers run one after another, each to a successful exit, before any app container
    // starts; a failed one is retried (back-off) unless the pod's restartPolicy is Never.
    const initPolicy = pod.spec?.restartPolicy === 'Never' ? 'Never' : 'OnFailure'
    let initialized = true
    for (const c of pod.spec?.initContainers ?? []) {
      if ((await this.syncContainer(pod, c, current, initPolicy, waiting, next)) !== 'succeeded') {
        initialized = false
        break
      }
    }
    if (initialized) for (const c of pod.spec?.containers ?? []) await this.syncContainer(pod, c, current, pod.spec?.restartPolicy, waiting, next)
    const requeueAfterMs = next.requeueAfterMs
    // What the runtime holds now, including containers whose start just began (state `created`).
    return {containers: await runtime.list({podUid: uid}), waiting, requeueAfterMs}
  }

  /**
   * Brings one container to what its restart policy asks: started if it never ran, restarted after
   * the back-off if it exited and should run again. Returns where it stands.
   */
  private async syncContainer(
    pod: KubeObject & Pod,
    c: Container,
    current: RuntimeContainer[],
    restartPolicy: string | undefined,
    waiting: Map<string, {reason: string; message?: string}>,
    next: {requeueAfterMs: number | undefined},
  ): Promise<'starting' | 'running' | 'succeeded' | 'failed' | 'waiting'> {
    const {clock} = this.opts
    const uid = pod.metadata.uid!
    const id = `${uid}/${c.name}`
    const requeue = (ms: number) => (next.requeueAfterMs = Math.min(next.requeueAfterMs ?? Infinity, Math.max(10, ms)))
    if (this.starting.has(id)) return 'starting'
    const pending = this.startFailures.pending(id)
    if (pending) {
      if (pending.waiting) waiting.set(c.name, pending.waiting)
      requeue(pending.wakeInMs)
      return 'waiting'
    }
    const instances = instancesOf(current, c.name)
    const newest = instances[0]
    let restartCount = 0
    if (newest) {
      if (newest.state.state !== 'exited') return newest.state.state === 'running' ? 'running' : 'starting'
      if (!shouldRestart(restartPolicy, newest.state.exitCode)) return newest.state.exitCode === 0 ? 'succeeded' : 'failed'
      const finished = newest.state.finishedAt.getTime()
      const now = clock.now().getTime()
      if (this.backoff.inBackOffSince(id, finished, now)) {
        const window = this.backoff.windowMs(id)
        const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${uid})`
        waiting.set(c.name, {reason: 'CrashLoopBackOff', message: `back-off ${goDuration(window)} restarting failed container=${c.name} pod=${podRef}`})
        this.events.backOff(pod, pod.spec!.nodeName!, c.name, `Back-off restarting failed container ${c.name} in pod ${podRef}`)
        requeue(finished + window - now)
        return 'waiting'
      }
      this.backoff.next(id, finished, now)
      restartCount = newest.spec.restartCount + 1
      // The kubelet keeps the last exited instance (`kubectl logs --previous`) and no older one.
      await this.removeAll(instances.slice(1), 0)
    }
    this.startInBackground(pod, c, restartCount)
    return 'starting'
  }

  private startInBackground(pod: KubeObject & Pod, c: Container, restartCount: number): void {
    const {runtime} = this.opts
    const uid = pod.metadata.uid!
    const id = `${uid}/${c.name}`
    if (this.stopping) return
    this.starting.add(id)
    const key = {namespace: pod.metadata.namespace, name: pod.metadata.name!}
    const node = pod.spec!.nodeName!
    const image = c.image ?? ''
    const policy = (c.imagePullPolicy as 'Always' | 'IfNotPresent' | 'Never') ?? 'IfNotPresent'
    const start = (async () => {
      let config: Partial<ContainerSpec> = {}
      if (this.opts.containerConfig) {
        try {
          config = await containerConfig(this.opts.containerConfig, pod, c, await this.podIP(pod))
          config.mounts = [...(config.mounts ?? []), await terminationLogMount(this.opts.containerConfig.podsDir, uid, c, restartCount)]
        } catch (error) {
          if (!(error instanceof ContainerConfigError)) throw error
          this.startFailures.configFailed(pod, c, error)
          return
        }
      }
      const pullStart = Date.now()
      let pulled: Awaited<ReturnType<ContainerRuntime['ensureImage']>>
      try {
        pulled = await runtime.ensureImage(image, policy, this.events.pullObserver(pod, node, c.name, image))
      } catch (error) {
        this.startFailures.imageFailed(pod, c, error)
        return
      }
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
        ...config,
        restartCount,
      })
      this.startFailures.started(id)
      if (started.state.state !== 'created') this.events.started(pod, node, c.name)
      if (c.lifecycle?.postStart && started.state.state === 'running') {
        const failure = await this.hook(pod, c, started, c.lifecycle.postStart, (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000)
        if (failure) {
          // The kubelet kills a container whose postStart hook failed; the restart policy takes it from there.
          this.events.warning(pod, node, c.name, 'FailedPostStartHook', failure)
          await runtime.stop(started.id, pod.spec?.terminationGracePeriodSeconds ?? 30)
        }
      }
    })()
      .catch((error) => {
        this.startFailures.createFailed(pod, c, error)
        this.log.warn({err: error, pod: `${key.namespace}/${key.name}`, container: c.name}, 'container start failed')
      })
      .finally(() => {
        this.starting.delete(id)
        this.inFlight.delete(start)
        this.opts.wake?.(key)
      })
    this.inFlight.add(start)
  }

  /** The pod's IP for env and the downward API: from its status, else from the sandbox made now (the first container's start). */
  private async podIP(pod: Pod): Promise<string | undefined> {
    const {runtime} = this.opts
    if (pod.status?.podIP || !runtime.preparePod) return pod.status?.podIP
    try {
      return (await runtime.preparePod({namespace: pod.metadata!.namespace!, podName: pod.metadata!.name!, podUid: pod.metadata!.uid!})).podIP
    } catch (error) {
      // runtime.start makes the sandbox again and reports the failure as the container's; nothing is lost by going on.
      this.log.warn({err: error, pod: `${pod.metadata!.namespace}/${pod.metadata!.name}`}, 'pod sandbox not ready before the first container')
      return undefined
    }
  }

  /** Runs a lifecycle hook where containers can run commands (Docker); a no-op elsewhere. */
  private async hook(pod: Pod, c: Container, container: RuntimeContainer, handler: LifecycleHandler, timeoutMs: number): Promise<string | undefined> {
    const exec = this.opts.probeExec
    if (!exec) return undefined
    const target: ProbeTarget = {podUid: pod.metadata!.uid!, namespace: pod.metadata!.namespace!, podName: pod.metadata!.name!, podIP: container.podIP, container: c, containerId: container.id, startedAt: new Date()}
    return runHook(handler, {pod, container: c, podIP: container.podIP, exec: (command, ms, signal) => exec(target, command, ms, signal), sleep: (ms, signal) => this.opts.clock.sleep(ms, signal)}, timeoutMs)
  }

  /** Writes the planned status unless nothing changed; returns the pod's phase. */
  private async writeStatus(pod: KubeObject & Pod, containers: RuntimeContainer[], waiting: SyncOutcome['waiting'], probe?: (id: string) => {ready: boolean; started: boolean}): Promise<string | undefined> {
    const {registry, runtime, clock, hostIP} = this.opts
    // Most reconciles follow our own status writes: skip the API round when nothing would change.
    const planned = planPodStatus({pod, containers, hostIP, runtimeName: runtime.name, now: clock.now(), waiting, probe})
    if (jsonEqual(planned, pod.status)) return planned.phase
    await registry.update(
      PODS,
      pod.metadata.namespace,
      pod.metadata.name!,
      (live) => {
        const current = live as KubeObject & Pod
        if (current.metadata.uid !== pod.metadata.uid) return current
        const status = planPodStatus({pod: current, containers, hostIP, runtimeName: runtime.name, now: clock.now(), waiting, probe})
        return {...current, status} as KubeObject
      },
      {manager: MANAGER, subresource: 'status'},
    )
    return planned.phase
  }

  private async finishDeletion(pod: KubeObject & Pod, held: RuntimeContainer[]): Promise<ReconcileResult | void> {
    const {registry, clock} = this.opts
    const deadline = new Date(pod.metadata.deletionTimestamp!).getTime()
    const running = held.filter((c) => c.state.state === 'running')
    for (const c of running) this.events.killing(pod, pod.spec!.nodeName!, c.spec.containerName)
    // preStop hooks run first, inside the grace period; what is left of it goes to SIGTERM.
    await Promise.all(
      running.map(async (c) => {
        const spec = pod.spec?.containers?.find((x) => x.name === c.spec.containerName)
        if (!spec?.lifecycle?.preStop) return
        const failure = await this.hook(pod, spec, c, spec.lifecycle.preStop, Math.max(0, deadline - clock.now().getTime()))
        if (failure) this.events.warning(pod, pod.spec!.nodeName!, spec.name, 'FailedPreStopHook', failure)
      }),
    )
    const graceLeft = Math.max(0, Math.ceil((deadline - clock.now().getTime()) / 1000))
    await this.removeAll(held, graceLeft)
    await this.forgetPod(pod.metadata.uid!)
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

function keyString(key: ObjectKey): string {
  return `${key.namespace ?? ''}/${key.name}`
}

/** Volumes whose files follow API objects and so are rewritten on the periodic resync. */
function hasRefreshableVolumes(pod: Pod): boolean {
  return (pod.spec?.volumes ?? []).some((v) => v.configMap || v.secret || v.downwardAPI || v.projected)
}

/**
 * What podsByUid keeps of a pod: enough to name it in an event (objectReference) and its node. Not
 * the pod itself: that would keep an outdated copy of every pod alive beside the informer's current
 * one (10,000 of them in the 10,000-pod run).
 */
function podReference(pod: KubeObject & Pod): Pod {
  const {name, namespace, uid, resourceVersion} = pod.metadata
  return {apiVersion: pod.apiVersion, kind: pod.kind, metadata: {name, namespace, uid, resourceVersion}, spec: {containers: [], nodeName: pod.spec?.nodeName}}
}
