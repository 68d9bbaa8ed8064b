// ContainerRuntime on the host's Docker engine: a pod is a pause sandbox holding the network namespace
// (its IP on the cluster's bridge network is the pod IP) plus one container per app container joined to
// it. No state of its own: every answer is read back from Docker through the kcluster.io/* labels.
import type {Readable} from 'node:stream'
import Docker from 'dockerode'
import type {ContainerInspectInfo} from 'dockerode'
import type {Clock} from '../../clock.js'
import {logger} from '../../log.js'
import type {ContainerFilter, ContainerRuntime, ContainerSpec, ImageResult, LogQuery, PullObserver, RuntimeContainer} from '../runtime.js'
import {dockerAvailability, type Availability} from './availability.js'
import {ContainerEvents} from './container-events.js'
import {containerState} from './container-state.js'
import {appCreateOptions} from './create-options.js'
import {DockerRuntimeError, engineStatus, tolerating} from './errors.js'
import {SIMULATED_ADDRESSING, splitNetwork, type ClusterAddressing} from '../../network/cluster-addressing.js'
import {clusterIpam, clusterNetworkName, ensureClusterNetwork} from './cluster-network.js'
import {ensureNetContainer, type NetContainer} from './net-container.js'
import {Cidr} from '../../network/cidr.js'
import {ensureImage, type PullPolicy} from './image-pull.js'
import {LABEL, labelFilter, specFromLabels} from './labels.js'
import {containerLogs, followLogs, type FollowLogsOptions} from './log-stream.js'
import {ensurePauseImage} from './pause-image.js'
import {PodAddressPool} from './pod-addresses.js'
import {PodLock} from './pod-lock.js'
import {ensureSandbox, listSandboxes, removeSandboxIfUnused, sandboxIP, type SandboxDeps} from './sandbox.js'

export interface DockerRuntimeOptions {
  /** Cluster name: the value of every container's kcluster.io/cluster label and of the network's name. */
  cluster: string
  clock: Clock
  /** The engine client; the default one reads DOCKER_HOST or /var/run/docker.sock. */
  docker?: Docker
}

export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker'
  readonly docker: Docker
  private readonly cluster: string
  private readonly log = logger('docker-runtime')
  private readonly podLock = new PodLock()
  private pauseImage?: Promise<boolean>
  /** The network the cluster's Services were allocated from, asked for again if the network must be made. */
  private preferredSubnet?: string
  private readonly events: ContainerEvents
  private readonly addresses: PodAddressPool

  constructor(private readonly opts: DockerRuntimeOptions) {
    this.cluster = opts.cluster
    this.docker = opts.docker ?? new Docker()
    this.addresses = new PodAddressPool(this.docker, this.cluster)
    this.events = new ContainerEvents({docker: this.docker, cluster: this.cluster, clock: opts.clock, describe: (id) => this.describe(id), relist: () => this.list()})
  }

  available(): Promise<Availability> {
    return dockerAvailability(this.docker)
  }

  ensureImage(image: string, pullPolicy: PullPolicy, observer?: PullObserver): Promise<ImageResult> {
    return ensureImage(this.docker, image, pullPolicy, observer)
  }

  /** The pod's sandbox, made now if it is not there; it goes with the pod's last container, or with removePod. */
  async preparePod(pod: Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>): Promise<{podIP?: string}> {
    const sandbox = await this.podLock.run(pod.podUid, () => ensureSandbox(this.sandboxDeps(), pod))
    return {podIP: sandbox.ip}
  }

  /** Removes the pod's sandbox when none of its containers is left (a pod deleted before its first container started). */
  async removePod(podUid: string): Promise<void> {
    await this.podLock.run(podUid, () => removeSandboxIfUnused(this.docker, this.cluster, podUid))
  }

  /**
   * The pod and Service halves of the cluster network, made now if missing (asking for
   * `preferredNetwork`, the one the cluster's Services were allocated from). A network made by an
   * earlier kcluster has no Service half: its pods keep it and ClusterIPs stay off-network.
   */
  async addressing(preferredNetwork?: string): Promise<ClusterAddressing> {
    if (preferredNetwork) this.preferredSubnet = preferredNetwork
    await ensureClusterNetwork(this.docker, this.cluster, this.preferredSubnet)
    const ipam = await clusterIpam(this.docker, this.cluster)
    const hostAddress = ipam?.gateway ?? (ipam?.subnet && Cidr.parse(ipam.subnet).nth(1))
    if (ipam?.subnet && ipam.ipRange) return {...splitNetwork(ipam.subnet), ...(hostAddress && {hostAddress})}
    return {podCIDR: ipam?.subnet ?? SIMULATED_ADDRESSING.podCIDR, serviceCIDR: SIMULATED_ADDRESSING.serviceCIDR, ...(hostAddress && {hostAddress})}
  }

  private sandboxDeps(): SandboxDeps {
    return {docker: this.docker, cluster: this.cluster, ensurePauseImage: () => this.ensurePauseImage(), preferredSubnet: this.preferredSubnet, addresses: this.addresses}
  }

  /**
   * The cluster's kcluster-net, running with `token`, at the top of the pod range when that address
   * is free. Undefined for a network made by an earlier kcluster (no Service half to hold).
   */
  async ensureNetContainer(token: string): Promise<NetContainer | undefined> {
    const ipam = await clusterIpam(this.docker, this.cluster)
    if (!ipam?.ipRange) return undefined
    const pods = Cidr.parse(ipam.ipRange)
    return ensureNetContainer({docker: this.docker, cluster: this.cluster, network: clusterNetworkName(this.cluster), ip: pods.nth(pods.size - 2), token, ensurePauseImage: () => this.ensurePauseImage()})
  }

  /** The pods that have a sandbox (running or not), from its labels. */
  async preparedPods(filter: Pick<ContainerFilter, 'namespace' | 'podName'> = {}): Promise<Array<Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>>> {
    const sandboxes = await this.docker.listContainers({all: true, filters: {label: labelFilter(this.cluster, 'sandbox', {[LABEL.namespace]: filter.namespace, [LABEL.podName]: filter.podName})}})
    return sandboxes.map((s) => ({namespace: s.Labels[LABEL.namespace]!, podName: s.Labels[LABEL.podName]!, podUid: s.Labels[LABEL.podUid]!}))
  }

  /** Resolves once the process runs, or with its exit (or StartError) state if it could not start or died at once. */
  async start(spec: ContainerSpec): Promise<RuntimeContainer> {
    const {container, podIP} = await this.podLock.run(spec.podUid, async () => {
      const sandbox = await ensureSandbox(this.sandboxDeps(), spec)
      try {
        return {container: await this.docker.createContainer(appCreateOptions(this.cluster, spec, sandbox.id)), podIP: sandbox.ip}
      } catch (error) {
        await removeSandboxIfUnused(this.docker, this.cluster, spec.podUid)
        throw new DockerRuntimeError(`create container ${spec.containerName} of pod ${spec.namespace}/${spec.podName}: ${(error as Error).message}`, 'CreateContainerError', {cause: error})
      }
    })
    try {
      await container.start()
    } catch (error) {
      // The container stays `created` with State.Error set, which list() reports as a StartError exit.
      this.log.info({container: container.id, pod: `${spec.namespace}/${spec.podName}`, err: error}, 'container failed to start')
    }
    const started = this.toRuntimeContainer(await container.inspect(), podIP)
    if (!started) throw new DockerRuntimeError(`container ${container.id} lost its kcluster labels`, 'CreateContainerError')
    return started
  }

  /** SIGTERM (or the image's STOPSIGNAL), then SIGKILL once `graceSeconds` have passed. */
  async stop(id: string, graceSeconds: number): Promise<void> {
    await tolerating([304, 404], () => this.docker.getContainer(id).stop({t: Math.max(0, Math.ceil(graceSeconds))}))
  }

  /** Removes the container, and the pod's sandbox with the pod's last container. */
  async remove(id: string): Promise<void> {
    const info = await tolerating([404], () => this.docker.getContainer(id).inspect())
    if (!info) return
    const labels = info.Config.Labels ?? {}
    if (labels[LABEL.cluster] !== this.cluster) throw new DockerRuntimeError(`container ${id} does not belong to cluster ${this.cluster}`, 'NotFound')
    const podUid = labels[LABEL.podUid]
    await this.podLock.run(podUid, async () => {
      await tolerating([404, 409], () => this.docker.getContainer(id).remove({force: true, v: true}))
      if (labels[LABEL.role] === 'app') await removeSandboxIfUnused(this.docker, this.cluster, podUid)
    })
  }

  /** The cluster's app containers (sandboxes are an implementation detail), each with its pod's IP while the sandbox runs. */
  async list(filter: ContainerFilter = {}): Promise<RuntimeContainer[]> {
    const byPod = {[LABEL.podUid]: filter.podUid, [LABEL.namespace]: filter.namespace, [LABEL.podName]: filter.podName}
    const apps = await this.docker.listContainers({all: true, filters: {label: labelFilter(this.cluster, 'app', byPod)}})
    if (apps.length === 0) return []
    const sandboxes = await listSandboxes(this.docker, this.cluster, filter.podUid)
    const podIPs = new Map<string, string>()
    for (const s of sandboxes) {
      const ip = sandboxIP(s)
      if (ip) podIPs.set(s.Labels[LABEL.podUid], ip)
    }
    // Inspect, not the list entry: only it has the exit code, OOMKilled and start/finish times.
    const infos = await Promise.all(apps.map((a) => tolerating([404], () => this.docker.getContainer(a.Id).inspect())))
    const found: RuntimeContainer[] = []
    for (const info of infos) {
      const container = info && this.toRuntimeContainer(info, podIPs.get(info.Config.Labels?.[LABEL.podUid] ?? ''))
      if (container) found.push(container)
    }
    return found
  }

  /** Calls `listener` with the container's state each time one of the cluster's app containers dies (exit, OOM, stop, kill). */
  subscribe(listener: (container: RuntimeContainer) => void): () => void {
    return this.events.subscribe(listener)
  }

  async logs(id: string, query?: LogQuery): Promise<string> {
    try {
      return await containerLogs(this.docker, id, query)
    } catch (error) {
      if (engineStatus(error) === 404) throw new DockerRuntimeError(`container ${id} not found`, 'NotFound', {cause: error})
      throw error
    }
  }

  /** A terminated pod's sandbox is stopped, as the kubelet stops it; its exited containers stay for logs. */
  async stopPod(podUid: string): Promise<void> {
    await this.podLock.run(podUid, async () => {
      for (const sandbox of await listSandboxes(this.docker, this.cluster, podUid)) {
        if (sandbox.State === 'running') await tolerating([304, 404], () => this.docker.getContainer(sandbox.Id).stop({t: 0}))
      }
    })
  }

  /** Output so far, then live output until the container stops or the signal aborts (`kubectl logs -f`). */
  followLogs(id: string, options?: FollowLogsOptions): Promise<Readable> {
    return followLogs(this.docker, id, options)
  }

  /**
   * Imports kcluster/pause when the engine lacks it. Checked before every sandbox (one inspect), not
   * remembered, since `kcluster delete` of another cluster may remove it; concurrent calls share one import.
   */
  ensurePauseImage(): Promise<boolean> {
    this.pauseImage ??= ensurePauseImage(this.docker).finally(() => {
      this.pauseImage = undefined
    })
    return this.pauseImage
  }

  private async describe(id: string): Promise<RuntimeContainer | undefined> {
    const info = await tolerating([404], () => this.docker.getContainer(id).inspect())
    if (!info || info.Config.Labels?.[LABEL.cluster] !== this.cluster) return undefined
    // A sandbox is no pod container of its own: what its death concerns is its pod's app containers.
    if (info.Config.Labels[LABEL.role] === 'sandbox') return (await this.list({podUid: info.Config.Labels[LABEL.podUid]}))[0]
    const sandbox = (await listSandboxes(this.docker, this.cluster, info.Config.Labels[LABEL.podUid])).find((s) => s.State === 'running')
    return this.toRuntimeContainer(info, sandbox && sandboxIP(sandbox))
  }

  private toRuntimeContainer(info: ContainerInspectInfo, podIP: string | undefined): RuntimeContainer | undefined {
    const spec = specFromLabels(info.Config.Labels, info.Config.Image)
    if (!spec) return undefined
    const state = containerState(info.State, this.opts.clock.now())
    return {id: info.Id, spec, state, ...(podIP && {podIP})}
  }
}
